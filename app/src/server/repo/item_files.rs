//! Files of contracts, specifications, supplier orders and tasks (a supplier's answer), kept
//! like documents' files under their content's hash. Staff attach to papers; on a task the
//! supplier it is for may attach too. Whoever may see the owner may open its files.
use crate::server::db::Db;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{audit, begin_write, counterparty_scope, files::StoredFile};
use crate::domain::access::Ctx;
use crate::domain::files::FileOwner;
use crate::error::{AppError, AppResult};
use crate::model::tasks::ItemFile;
use crate::server::entities::{
    contracts, item_files, payment_requests, specifications, supplier_orders, tasks,
};

/// The counterparty of owner `kind` `id` if `ctx` may see it ("not found" otherwise, alike
/// for another counterparty's and a missing one).
pub async fn owner_in_scope(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    kind: FileOwner,
    id: i32,
) -> AppResult<Option<i32>> {
    let found = match kind {
        FileOwner::Contract => contracts::Entity::find_by_id(id)
            .filter(counterparty_scope(ctx, contracts::Column::CounterpartyId))
            .one(db)
            .await?
            .map(|c| Some(c.counterparty_id)),
        FileOwner::Specification => specifications::Entity::find_by_id(id)
            .filter(counterparty_scope(
                ctx,
                specifications::Column::CounterpartyId,
            ))
            .one(db)
            .await?
            .map(|s| Some(s.counterparty_id)),
        FileOwner::Order => supplier_orders::Entity::find_by_id(id)
            .filter(counterparty_scope(
                ctx,
                supplier_orders::Column::CounterpartyId,
            ))
            .one(db)
            .await?
            .map(|o| Some(o.counterparty_id)),
        FileOwner::Task => tasks::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|t| {
                ctx.role.is_staff()
                    || (t.assignee_counterparty_id.is_some()
                        && t.assignee_counterparty_id == ctx.counterparty_id)
            })
            .map(|t| t.assignee_counterparty_id),
        // A payment request's files are staff's: kept with no counterparty, so that a
        // supplier's row-level wall shows none of them.
        FileOwner::PaymentInvoice | FileOwner::PaymentRequest | FileOwner::ApprovalSheet => {
            if !ctx.role.is_staff() {
                return Err(AppError::NotFound);
            }
            payment_requests::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|_| None)
        }
        // The payment order is the counterparty's too: its cabinet shows it once paid.
        FileOwner::PaymentOrder => payment_requests::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|r| {
                ctx.role.is_staff()
                    || (r.paid_on.is_some() && Some(r.counterparty_id) == ctx.counterparty_id)
            })
            .map(|r| Some(r.counterparty_id)),
    };
    found.ok_or(AppError::NotFound)
}

/// Whether `ctx` may add files to owner `kind`: staff to anything the app does not make
/// itself, a supplier only to its task.
pub fn may_attach(ctx: &Ctx, kind: FileOwner) -> bool {
    !kind.generated() && (ctx.role.is_staff() || kind.supplier_may_attach())
}

/// The owner of a stored file row; one no code names is an error (logged), not a default.
fn owner_of(file: &item_files::Model) -> AppResult<FileOwner> {
    FileOwner::from_code(&file.owner_kind).ok_or_else(|| {
        tracing::error!(file = file.id, kind = %file.owner_kind, "unknown file owner stored");
        AppError::Internal
    })
}

pub async fn attach(
    ctx: &Ctx,
    db: &Db,
    kind: FileOwner,
    id: i32,
    stored: &[StoredFile],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let counterparty = owner_in_scope(ctx, db, kind, id).await?;
    if !may_attach(ctx, kind) {
        return Err(AppError::Forbidden);
    }
    if kind == FileOwner::PaymentOrder {
        // Accounting's, while the request is to be paid.
        super::payments::may_attach_order(ctx, db, id).await?;
    } else if kind.of_payment() {
        // What an approval covers does not change under the approvers' eyes.
        super::payments::may_attach(ctx, db, id).await?;
    }
    let txn = begin_write(db).await?;
    for file in stored {
        item_files::ActiveModel {
            owner_kind: Set(kind.code().to_owned()),
            owner_id: Set(id),
            counterparty_id: Set(counterparty),
            sha256: Set(file.sha256.clone()),
            original_name: Set(file.original_name.clone()),
            mime: Set(file.mime.to_owned()),
            size_bytes: Set(file.size_bytes as i64),
            uploaded_by: Set(ctx.user_id),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        "item_files.attach",
        &format!("{} file(s) to {} {id}", stored.len(), kind.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A file row if `ctx` may see its owner.
pub async fn find(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    file_id: i32,
) -> AppResult<item_files::Model> {
    let file = item_files::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    owner_in_scope(ctx, db, owner_of(&file)?, file.owner_id).await?;
    Ok(file)
}

/// The files of an owner the caller already may see, oldest first.
pub async fn list(db: &impl ConnectionTrait, kind: FileOwner, id: i32) -> AppResult<Vec<ItemFile>> {
    Ok(item_files::Entity::find()
        .filter(item_files::Column::OwnerKind.eq(kind.code()))
        .filter(item_files::Column::OwnerId.eq(id))
        .order_by_asc(item_files::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| ItemFile {
            id: f.id,
            name: f.original_name,
            size_bytes: f.size_bytes,
        })
        .collect())
}

/// Every file of a deal's contracts, specifications and orders for one archive: a folder per
/// paper named by its date and number (`2026-11-01 2026-0042_CT-1`). Staff only. Returns the
/// archive's name (`Сделка 2026-0042.zip`) too.
pub async fn for_deal_export(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    deal_id: i32,
    zone: crate::domain::clock::CompanyZone,
) -> AppResult<(String, Vec<super::files::ExportFile>)> {
    use crate::domain::files::ExportItem;
    use crate::server::entities::deals;
    ctx.require_staff()?;
    let deal = deals::Entity::find_by_id(deal_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let label =
        |number: &Option<String>, id: i32| number.clone().unwrap_or_else(|| format!("#{id}"));
    // (owner kind, owner id) → (date, number) of each paper of the deal.
    let mut papers: Vec<(FileOwner, i32, chrono::NaiveDate, String)> = Vec::new();
    for c in contracts::Entity::find()
        .filter(contracts::Column::DealId.eq(deal_id))
        .all(db)
        .await?
    {
        papers.push((
            FileOwner::Contract,
            c.id,
            c.signed_on,
            label(&c.number, c.id),
        ));
    }
    for s in specifications::Entity::find()
        .filter(specifications::Column::DealId.eq(deal_id))
        .all(db)
        .await?
    {
        papers.push((
            FileOwner::Specification,
            s.id,
            s.dated_on,
            label(&s.number, s.id),
        ));
    }
    for o in supplier_orders::Entity::find()
        .filter(supplier_orders::Column::DealId.eq(deal_id))
        .all(db)
        .await?
    {
        let date = zone.today(o.created_at);
        papers.push((FileOwner::Order, o.id, date, label(&o.number, o.id)));
    }
    let mut files = Vec::new();
    for (kind, id, date, number) in papers {
        for file in item_files::Entity::find()
            .filter(item_files::Column::OwnerKind.eq(kind.code()))
            .filter(item_files::Column::OwnerId.eq(id))
            .order_by_asc(item_files::Column::Id)
            .all(db)
            .await?
        {
            files.push(super::files::ExportFile {
                sha256: file.sha256,
                item: ExportItem {
                    folder: None,
                    invoice_date: date,
                    invoice_number: number.clone(),
                    original_name: file.original_name,
                    mime: file.mime,
                },
            });
        }
    }
    let name = match deal.number {
        Some(number) => format!("Сделка {number}.zip"),
        None => format!("Сделка #{}.zip", deal.id),
    };
    Ok((name, files))
}
