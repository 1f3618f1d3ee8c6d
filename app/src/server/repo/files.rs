//! Document files: the rows of a submission (card, files, first stage event) written together,
//! corrected files for a returned document, and the file rows downloads look up.
use crate::server::db::Db;
use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::begin_write;
use super::changes::{self, ChangeKind};
use super::stages::{record_event, stage_id};
use super::{audit, counterparty_scope};
use crate::domain::access::Ctx;
use crate::domain::clock::CompanyZone;
use crate::domain::documents::search_text;
use crate::domain::files::{ExportItem, FileOwner, Folder};
use crate::domain::form::{FieldError, FieldProblem};
use crate::domain::stage::DocumentStage;
use crate::domain::upload::UploadFields;
use crate::error::{AppError, AppResult};
use crate::model::documents::Submitted;
use crate::server::entities::item_files;
use crate::server::entities::{counterparties, document_cards as cards, document_files as files};

/// A received and stored file, about to get its row.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub sha256: String,
    pub original_name: String,
    pub mime: &'static str,
    pub size_bytes: u64,
}

/// Whether the counterparty already has any of these contents on another card.
async fn seen_before(
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    hashes: &[String],
    except_card: Option<i32>,
) -> AppResult<bool> {
    let mut select = files::Entity::find()
        .select_only()
        .column(files::Column::Id)
        .filter(files::Column::Sha256.is_in(hashes.iter().cloned()))
        .filter(
            files::Column::CardId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(cards::Column::Id)
                    .from(cards::Entity)
                    .and_where(cards::Column::CounterpartyId.eq(counterparty_id))
                    .to_owned(),
            ),
        );
    if let Some(card_id) = except_card {
        select = select.filter(files::Column::CardId.ne(card_id));
    }
    Ok(select.into_tuple::<i32>().one(db).await?.is_some())
}

async fn insert_files(
    db: &impl ConnectionTrait,
    card_id: i32,
    user_id: i32,
    stored: &[StoredFile],
    now: DateTime<Utc>,
) -> AppResult<()> {
    for file in stored {
        files::ActiveModel {
            card_id: Set(card_id),
            sha256: Set(file.sha256.clone()),
            original_name: Set(file.original_name.clone()),
            mime: Set(file.mime.to_owned()),
            size_bytes: Set(i64::try_from(file.size_bytes).unwrap_or(i64::MAX)),
            uploaded_by: Set(user_id),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A supplier's submission: the card in "Documents uploaded", its files and its first stage
/// event, all or nothing.
pub async fn submit(
    ctx: &Ctx,
    db: &Db,
    fields: &UploadFields,
    stored: &[StoredFile],
    now: DateTime<Utc>,
) -> AppResult<Submitted> {
    let scope = ctx.require_supplier()?;
    let txn = begin_write(db).await?;
    let uploaded = stage_id(&txn, DocumentStage::Uploaded).await?;
    let hashes: Vec<String> = stored.iter().map(|f| f.sha256.clone()).collect();
    let possible_duplicate = seen_before(&txn, scope.counterparty_id, &hashes, None).await?;
    let card = cards::ActiveModel {
        counterparty_id: Set(scope.counterparty_id),
        stage_id: Set(uploaded),
        kind: Set(fields.kind.code().to_owned()),
        invoice_number: Set(fields.invoice_number.clone()),
        invoice_date: Set(fields.invoice_date),
        amount_kopecks: Set(fields.amount.kopecks()),
        comment: Set(fields.comment.clone()),
        version: Set(1),
        created_at: Set(now),
        stage_entered_at: Set(now),
        search_text: Set(search_text(&fields.invoice_number, &fields.comment)),
        vat: Set(fields.vat.code().to_owned()),
        possible_duplicate: Set(possible_duplicate),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_files(&txn, card.id, scope.user_id, stored, now).await?;
    record_event(&txn, card.id, None, uploaded, scope.user_id, None, now).await?;
    changes::record(
        &txn,
        card.id,
        scope.counterparty_id,
        ChangeKind::Uploaded,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(scope.user_id),
        "document_uploaded",
        &format!("card {} files {}", card.id, hashes.join(",")),
    )
    .await?;
    txn.commit().await?;
    Ok(Submitted {
        card_id: card.id,
        possible_duplicate,
    })
}

/// Files staff attach to a card (a payment order): the card keeps its stage.
pub async fn attach_by_staff(
    ctx: &Ctx,
    db: &Db,
    card_id: i32,
    stored: &[StoredFile],
    now: DateTime<Utc>,
) -> AppResult<Submitted> {
    ctx.require_staff()?;
    let txn = begin_write(db).await?;
    let card = super::card_in_scope(ctx, &txn, card_id).await?;
    insert_files(&txn, card.id, ctx.user_id, stored, now).await?;
    changes::record(&txn, card.id, card.counterparty_id, ChangeKind::Files, now).await?;
    let hashes: Vec<String> = stored.iter().map(|f| f.sha256.clone()).collect();
    audit::record(
        &txn,
        Some(ctx.user_id),
        "staff_files_attached",
        &format!("card {} files {}", card.id, hashes.join(",")),
    )
    .await?;
    txn.commit().await?;
    Ok(Submitted {
        card_id: card.id,
        possible_duplicate: card.possible_duplicate,
    })
}

/// Corrected files for a returned document: they join the card and it goes back to
/// "Documents uploaded". Another counterparty's card is "not found"; a card that is not
/// returned takes no files.
pub async fn add_corrected(
    ctx: &Ctx,
    db: &Db,
    card_id: i32,
    stored: &[StoredFile],
    now: DateTime<Utc>,
) -> AppResult<Submitted> {
    let scope = ctx.require_supplier()?;
    let txn = begin_write(db).await?;
    let card = super::card_in_scope(ctx, &txn, card_id).await?;
    let returned = stage_id(&txn, DocumentStage::Returned).await?;
    if card.stage_id != returned {
        return Err(AppError::Rejected {
            problems: vec![FieldProblem::submission(FieldError::NotReturned)],
        });
    }
    let uploaded = stage_id(&txn, DocumentStage::Uploaded).await?;
    let hashes: Vec<String> = stored.iter().map(|f| f.sha256.clone()).collect();
    let duplicate = seen_before(&txn, scope.counterparty_id, &hashes, Some(card.id)).await?;
    // Guarded by stage and version: a staff move made meanwhile wins, and this one is refused.
    let moved = cards::Entity::update_many()
        .col_expr(cards::Column::StageId, Expr::value(uploaded))
        .col_expr(cards::Column::StageEnteredAt, Expr::value(now))
        .col_expr(cards::Column::Version, Expr::value(card.version + 1))
        .col_expr(
            cards::Column::PossibleDuplicate,
            Expr::value(card.possible_duplicate || duplicate),
        )
        .filter(cards::Column::Id.eq(card.id))
        .filter(cards::Column::StageId.eq(returned))
        .filter(cards::Column::Version.eq(card.version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Rejected {
            problems: vec![FieldProblem::submission(FieldError::NotReturned)],
        });
    }
    insert_files(&txn, card.id, scope.user_id, stored, now).await?;
    record_event(
        &txn,
        card.id,
        Some(returned),
        uploaded,
        scope.user_id,
        None,
        now,
    )
    .await?;
    changes::record(&txn, card.id, scope.counterparty_id, ChangeKind::Moved, now).await?;
    audit::record(
        &txn,
        Some(scope.user_id),
        "corrected_files_uploaded",
        &format!("card {} files {}", card.id, hashes.join(",")),
    )
    .await?;
    txn.commit().await?;
    Ok(Submitted {
        card_id: card.id,
        possible_duplicate: card.possible_duplicate || duplicate,
    })
}

/// A file `ctx` may open: a supplier only its own counterparty's.
pub async fn find(ctx: &Ctx, db: &impl ConnectionTrait, file_id: i32) -> AppResult<files::Model> {
    let file = files::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The card decides who may see the file.
    cards::Entity::find_by_id(file.card_id)
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(file)
}

/// The files of a card `ctx` may see, in upload order.
pub async fn of_card(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    card_id: i32,
) -> AppResult<Vec<files::Model>> {
    super::card_in_scope(ctx, db, card_id).await?;
    of_checked_card(db, card_id).await
}

/// The files of a card the caller has already found within its `Ctx` scope.
pub(super) async fn of_checked_card(
    db: &impl ConnectionTrait,
    card_id: i32,
) -> AppResult<Vec<files::Model>> {
    Ok(files::Entity::find()
        .filter(files::Column::CardId.eq(card_id))
        .order_by_asc(files::Column::UploadedAt)
        .order_by_asc(files::Column::Id)
        .all(db)
        .await?)
}

/// Every object name a file row points at (documents' and other papers'): what storage must
/// keep.
pub async fn referenced_objects(db: &impl ConnectionTrait) -> AppResult<HashSet<String>> {
    let mut all: HashSet<String> = files::Entity::find()
        .select_only()
        .column(files::Column::Sha256)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    all.extend(
        item_files::Entity::find()
            .select_only()
            .column(item_files::Column::Sha256)
            .distinct()
            .into_tuple::<String>()
            .all(db)
            .await?,
    );
    Ok(all)
}

/// Whether any row still points at the object (before removing one a failed commit left).
pub async fn is_referenced(db: &impl ConnectionTrait, sha256: &str) -> AppResult<bool> {
    Ok(files::Entity::find()
        .select_only()
        .column(files::Column::Id)
        .filter(files::Column::Sha256.eq(sha256))
        .into_tuple::<i32>()
        .one(db)
        .await?
        .is_some()
        || item_files::Entity::find()
            .select_only()
            .column(item_files::Column::Id)
            .filter(item_files::Column::Sha256.eq(sha256))
            .into_tuple::<i32>()
            .one(db)
            .await?
            .is_some())
}

/// A stored file going into an export archive.
pub struct ExportFile {
    pub sha256: String,
    pub item: ExportItem,
}

/// One file in a counterparty's folders: the folder, the paper it belongs to (date, number,
/// its page) and the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderFile {
    pub folder: Folder,
    pub date: NaiveDate,
    pub number: String,
    pub page: String,
    /// A document's file (`/files/{id}`) or an item file (`/item-files/{id}`).
    pub document_file: bool,
    pub file_id: i32,
    pub sha256: String,
    pub original_name: String,
    pub mime: String,
    pub size_bytes: i64,
}

/// Every file about counterparty `counterparty_id` dated in the period (staff only), in its
/// folders: its documents (by invoice date), the payment requests to it (invoice, other files,
/// payment order, approval sheet; by the day made), its contracts (signed), specifications
/// (dated) and orders (made). Each folder by date, paper, upload order. With the
/// counterparty's name.
pub async fn counterparty_files(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    zone: CompanyZone,
) -> AppResult<(String, Vec<FolderFile>)> {
    use crate::server::entities::{contracts, payment_requests, specifications, supplier_orders};
    ctx.require_staff()?;
    let party = counterparties::Entity::find_by_id(counterparty_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let within = |date: NaiveDate| from.is_none_or(|f| date >= f) && to.is_none_or(|t| date <= t);
    let mut out = Vec::new();

    let mut select =
        cards::Entity::find().filter(cards::Column::CounterpartyId.eq(counterparty_id));
    if let Some(from) = from {
        select = select.filter(cards::Column::InvoiceDate.gte(from));
    }
    if let Some(to) = to {
        select = select.filter(cards::Column::InvoiceDate.lte(to));
    }
    let found = select.all(db).await?;
    let by_id: std::collections::HashMap<i32, &cards::Model> =
        found.iter().map(|c| (c.id, c)).collect();
    for file in files::Entity::find()
        .filter(files::Column::CardId.is_in(found.iter().map(|c| c.id)))
        .all(db)
        .await?
    {
        let Some(card) = by_id.get(&file.card_id) else {
            continue;
        };
        out.push(FolderFile {
            folder: Folder::Documents,
            date: card.invoice_date,
            number: card.invoice_number.clone(),
            page: crate::domain::pipeline::Pipeline::Documents.card_path(card.id),
            document_file: true,
            file_id: file.id,
            sha256: file.sha256,
            original_name: file.original_name,
            mime: file.mime,
            size_bytes: file.size_bytes,
        });
    }

    // (owner, id) → (date, number, page) of each paper in the period.
    let mut papers: std::collections::HashMap<(FileOwner, i32), (NaiveDate, String, String)> =
        Default::default();
    let label =
        |number: &Option<String>, id: i32| number.clone().unwrap_or_else(|| format!("#{id}"));
    for r in payment_requests::Entity::find()
        .filter(payment_requests::Column::CounterpartyId.eq(counterparty_id))
        .all(db)
        .await?
    {
        let date = zone.today(r.created_at);
        if !within(date) {
            continue;
        }
        let paper = (
            date,
            crate::domain::payments::request_number(crate::domain::lang::Lang::Ru, r.id),
            crate::domain::pipeline::Pipeline::Payments.card_path(r.id),
        );
        for owner in [
            FileOwner::PaymentInvoice,
            FileOwner::PaymentRequest,
            FileOwner::PaymentOrder,
            FileOwner::ApprovalSheet,
        ] {
            papers.insert((owner, r.id), paper.clone());
        }
    }
    for c in contracts::Entity::find()
        .filter(contracts::Column::CounterpartyId.eq(counterparty_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| within(c.signed_on))
    {
        let page = FileOwner::Contract.page(true, c.id);
        papers.insert(
            (FileOwner::Contract, c.id),
            (c.signed_on, label(&c.number, c.id), page),
        );
    }
    for sp in specifications::Entity::find()
        .filter(specifications::Column::CounterpartyId.eq(counterparty_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|sp| within(sp.dated_on))
    {
        let page = FileOwner::Specification.page(true, sp.id);
        papers.insert(
            (FileOwner::Specification, sp.id),
            (sp.dated_on, label(&sp.number, sp.id), page),
        );
    }
    for o in supplier_orders::Entity::find()
        .filter(supplier_orders::Column::CounterpartyId.eq(counterparty_id))
        .all(db)
        .await?
    {
        let date = zone.today(o.created_at);
        if within(date) {
            let page = FileOwner::Order.page(true, o.id);
            papers.insert(
                (FileOwner::Order, o.id),
                (date, label(&o.number, o.id), page),
            );
        }
    }
    let kinds: Vec<&str> = papers.keys().map(|(owner, _)| owner.code()).collect();
    let ids: Vec<i32> = papers.keys().map(|(_, id)| *id).collect();
    if !papers.is_empty() {
        for file in item_files::Entity::find()
            .filter(item_files::Column::OwnerKind.is_in(kinds))
            .filter(item_files::Column::OwnerId.is_in(ids))
            .all(db)
            .await?
        {
            let Some(owner) = FileOwner::from_code(&file.owner_kind) else {
                continue;
            };
            let (Some(folder), Some((date, number, page))) =
                (Folder::of(owner), papers.get(&(owner, file.owner_id)))
            else {
                continue;
            };
            out.push(FolderFile {
                folder,
                date: *date,
                number: number.clone(),
                page: page.clone(),
                document_file: false,
                file_id: file.id,
                sha256: file.sha256,
                original_name: file.original_name,
                mime: file.mime,
                size_bytes: file.size_bytes,
            });
        }
    }
    // Folder, then date, then paper, then upload order (document files before item files
    // of the same paper cannot meet: they are in different folders).
    out.sort_by(|a, b| {
        (a.folder, a.date, &a.number, a.document_file, a.file_id).cmp(&(
            b.folder,
            b.date,
            &b.number,
            b.document_file,
            b.file_id,
        ))
    });
    Ok((party.name, out))
}

/// Every file about a counterparty dated in the period (staff only), for one archive: a
/// folder each (`Документы/2026-11-20 СЧ-101/счёт.pdf`); with the counterparty's name.
pub async fn for_export(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    zone: CompanyZone,
) -> AppResult<(String, Vec<ExportFile>)> {
    let (name, files) = counterparty_files(ctx, db, counterparty_id, from, to, zone).await?;
    let export = files
        .into_iter()
        .map(|file| ExportFile {
            sha256: file.sha256,
            item: ExportItem {
                folder: Some(file.folder),
                invoice_date: file.date,
                invoice_number: file.number,
                original_name: file.original_name,
                mime: file.mime,
            },
        })
        .collect();
    Ok((name, export))
}

/// The counterparty's files grouped for its "Files" page: every folder, its papers in order.
pub async fn counterparty_folders(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    zone: CompanyZone,
) -> AppResult<crate::model::counterparties::CounterpartyFiles> {
    use crate::model::counterparties::{
        CounterpartyFiles, FileFolder, FolderFileView, FolderPaper,
    };
    let (name, files) = counterparty_files(ctx, db, counterparty_id, from, to, zone).await?;
    let mut folders: Vec<FileFolder> = Folder::ALL
        .iter()
        .map(|&folder| FileFolder {
            folder,
            papers: Vec::new(),
        })
        .collect();
    for file in files {
        let Some(folder) = folders.iter_mut().find(|f| f.folder == file.folder) else {
            continue;
        };
        let view = FolderFileView {
            name: file.original_name,
            size_bytes: file.size_bytes,
            href: if file.document_file {
                crate::paths::download_path(file.file_id, false)
            } else {
                crate::paths::item_download_path(file.file_id, false)
            },
        };
        match folder.papers.last_mut() {
            Some(paper) if paper.page == file.page => paper.files.push(view),
            _ => folder.papers.push(FolderPaper {
                date: file.date,
                number: file.number,
                page: file.page,
                files: vec![view],
            }),
        }
    }
    Ok(CounterpartyFiles {
        id: counterparty_id,
        name,
        folders,
    })
}
