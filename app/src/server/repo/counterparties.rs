//! Counterparties and their contacts. Staff see all; a supplier reaches only its own
//! counterparty's contacts (anything else is "not found").
use crate::server::db::Db;
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::users::full_name;
use super::{audit, contains_text, counterparty_scope};
use crate::domain::access::{Ctx, Role};
use crate::domain::counterparty::{
    ContactFields, REGISTRY_PAGE_SIZE, Requisites, changes, search_text,
};
use crate::domain::money::Money;
use crate::domain::settlements::BlockMode;
use crate::error::{AppError, AppResult};
use crate::model::counterparties::{
    Contact, CounterpartyDetails, CounterpartyPage, CounterpartyRow, CounterpartyUser, Manager,
};
use crate::server::entities::{
    counterparties as parties, counterparty_contacts as contacts, document_cards as cards, users,
};

fn requisites_of(model: &parties::Model) -> Requisites {
    Requisites {
        name: model.name.clone(),
        inn: model.inn.clone(),
        kpp: model.kpp.clone(),
        ogrn: model.ogrn.clone(),
        legal_address: model.legal_address.clone(),
        postal_address: model.postal_address.clone(),
        bank_name: model.bank_name.clone(),
        bic: model.bic.clone(),
        settlement_account: model.settlement_account.clone(),
        correspondent_account: model.correspondent_account.clone(),
        responsible_manager_id: model.responsible_manager_id,
        payment_deferral_days: model.payment_deferral_days,
        block_mode: BlockMode::from_code(&model.block_mode).unwrap_or_default(),
        block_reason: model.block_reason.clone(),
        credit_limit: model.credit_limit_kopecks.map(Money::from_kopecks),
    }
}

fn set_requisites(active: &mut parties::ActiveModel, r: &Requisites) {
    active.name = Set(r.name.clone());
    active.inn = Set(r.inn.clone());
    active.kpp = Set(r.kpp.clone());
    active.ogrn = Set(r.ogrn.clone());
    active.legal_address = Set(r.legal_address.clone());
    active.postal_address = Set(r.postal_address.clone());
    active.bank_name = Set(r.bank_name.clone());
    active.bic = Set(r.bic.clone());
    active.settlement_account = Set(r.settlement_account.clone());
    active.correspondent_account = Set(r.correspondent_account.clone());
    active.responsible_manager_id = Set(r.responsible_manager_id);
    active.payment_deferral_days = Set(r.payment_deferral_days);
    active.block_mode = Set(r.block_mode.code().to_owned());
    // Staff set the block by hand: the debtor rule no longer lifts it.
    active.block_by_rule = Set(false);
    active.block_reason = Set(r.block_reason.clone());
    active.credit_limit_kopecks = Set(r.credit_limit.map(Money::kopecks));
    active.search_text = Set(search_text(&r.name, &r.inn));
}

/// The responsible manager must be staff who can manage counterparties.
async fn check_manager(db: &impl ConnectionTrait, id: Option<i32>) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    let found = users::Entity::find_by_id(id).one(db).await?;
    let is_manager = found.is_some_and(|u| {
        u.active
            && matches!(
                Role::from_code(&u.role),
                Some(Role::Manager | Role::Supervisor | Role::Admin)
            )
    });
    if is_manager {
        Ok(())
    } else {
        Err(AppError::Rejected {
            problems: vec![crate::domain::form::FieldProblem::field(
                "responsible_manager_id",
                crate::domain::form::FieldError::Unknown,
            )],
        })
    }
}

pub async fn page(
    ctx: &Ctx,
    db: &Db,
    text: Option<&str>,
    page: u64,
) -> AppResult<CounterpartyPage> {
    ctx.require_staff()?;
    let mut select = parties::Entity::find();
    if let Some(text) = text {
        select = select.filter(parties::Column::SearchText.like(contains_text(text)));
    }
    let total = select.clone().count(db).await?;
    let pages = total.div_ceil(REGISTRY_PAGE_SIZE).max(1);
    let page = page.min(pages);
    let found = select
        .order_by_asc(parties::Column::Name)
        .order_by_asc(parties::Column::Id)
        .offset((page - 1) * REGISTRY_PAGE_SIZE)
        .limit(REGISTRY_PAGE_SIZE)
        .all(db)
        .await?;
    let ids: Vec<i32> = found.iter().map(|p| p.id).collect();
    let counts: HashMap<i32, i64> = cards::Entity::find()
        .select_only()
        .column(cards::Column::CounterpartyId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(cards::Column::CounterpartyId.is_in(ids))
        .group_by(cards::Column::CounterpartyId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names = super::users::names(
        db,
        found
            .iter()
            .filter_map(|p| p.responsible_manager_id)
            .collect(),
    )
    .await?;
    Ok(CounterpartyPage {
        rows: found
            .into_iter()
            .map(|p| CounterpartyRow {
                id: p.id,
                documents: counts.get(&p.id).copied().unwrap_or(0),
                responsible_manager: p
                    .responsible_manager_id
                    .and_then(|id| names.get(&id).cloned()),
                name: p.name,
                inn: p.inn,
                block_mode: BlockMode::from_code(&p.block_mode).unwrap_or_default(),
            })
            .collect(),
        total,
        page,
        pages,
    })
}

pub async fn details(ctx: &Ctx, db: &Db, id: i32) -> AppResult<CounterpartyDetails> {
    ctx.require_staff()?;
    let party = parties::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let responsible_manager = match party.responsible_manager_id {
        Some(manager) => super::users::names(db, vec![manager])
            .await?
            .remove(&manager),
        None => None,
    };
    let users = users::Entity::find()
        .filter(users::Column::CounterpartyId.eq(id))
        .order_by_asc(users::Column::LastName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| CounterpartyUser {
            id: u.id,
            name: full_name(&u),
            email: u.email,
            active: u.active,
        })
        .collect();
    let (documents, document_count) =
        super::documents::latest_of_counterparty(ctx, db, id, 20).await?;
    Ok(CounterpartyDetails {
        id,
        requisites: requisites_of(&party),
        responsible_manager,
        contacts: contacts(ctx, db, id).await?,
        users,
        documents,
        document_count,
    })
}

pub async fn managers(db: &Db) -> AppResult<Vec<Manager>> {
    Ok(users::Entity::find()
        .filter(users::Column::Role.is_in([
            Role::Manager.code(),
            Role::Supervisor.code(),
            Role::Admin.code(),
        ]))
        .filter(users::Column::Active.eq(true))
        .order_by_asc(users::Column::LastName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Manager {
            id: u.id,
            name: full_name(&u),
        })
        .collect())
}

pub async fn create(ctx: &Ctx, db: &Db, r: &Requisites) -> AppResult<i32> {
    ctx.require_staff()?;
    check_manager(db, r.responsible_manager_id).await?;
    let txn = super::begin_write(db).await?;
    let mut active = parties::ActiveModel {
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    set_requisites(&mut active, r);
    let created = active.insert(&txn).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "counterparty_created",
        &format!("counterparty {} {} INN {}", created.id, r.name, r.inn),
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

/// Saves new requisites; each changed field goes to the audit log with its old and new value.
pub async fn update(ctx: &Ctx, db: &Db, id: i32, r: &Requisites) -> AppResult<i32> {
    ctx.require_staff()?;
    check_manager(db, r.responsible_manager_id).await?;
    let txn = super::begin_write(db).await?;
    let existing = parties::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let changed = changes(&requisites_of(&existing), r);
    if changed.is_empty() {
        return Ok(id);
    }
    let old_mode = BlockMode::from_code(&existing.block_mode).unwrap_or_default();
    let kept_by_rule = existing.block_by_rule && old_mode == r.block_mode;
    let mut active: parties::ActiveModel = existing.into();
    set_requisites(&mut active, r);
    if kept_by_rule {
        active.block_by_rule = Set(true);
    }
    active.update(&txn).await?;
    if old_mode != r.block_mode {
        super::settlements::tell_block(
            &txn,
            id,
            r.block_mode,
            r.block_reason.as_deref(),
            Utc::now(),
        )
        .await?;
    }
    for (field, old, new) in changed {
        audit::record(
            &txn,
            Some(ctx.user_id),
            "counterparty_changed",
            &format!("counterparty {id} {field}: {old:?} -> {new:?}"),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(id)
}

/// Contacts of a counterparty `ctx` may see; another counterparty is "not found".
pub async fn contacts(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
) -> AppResult<Vec<Contact>> {
    reachable_counterparty(ctx, db, counterparty_id).await?;
    Ok(contacts::Entity::find()
        .filter(contacts::Column::CounterpartyId.eq(counterparty_id))
        .order_by_asc(contacts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(contact_of)
        .collect())
}

fn contact_of(c: contacts::Model) -> Contact {
    Contact {
        id: c.id,
        name: c.name,
        position: c.position,
        email: c.email,
        phone: c.phone,
    }
}

async fn reachable_counterparty(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
) -> AppResult<()> {
    parties::Entity::find_by_id(counterparty_id)
        .filter(counterparty_scope(ctx, parties::Column::Id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

pub async fn add_contact(
    ctx: &Ctx,
    db: &Db,
    counterparty_id: i32,
    fields: &ContactFields,
) -> AppResult<Contact> {
    let txn = super::begin_write(db).await?;
    reachable_counterparty(ctx, &txn, counterparty_id).await?;
    let created = contacts::ActiveModel {
        counterparty_id: Set(counterparty_id),
        name: Set(fields.name.clone()),
        position: Set(fields.position.clone()),
        email: Set(fields.email.clone()),
        phone: Set(fields.phone.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "contact_added",
        &format!(
            "counterparty {counterparty_id} contact {}: {} {} {}",
            created.id, fields.name, fields.email, fields.phone
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(contact_of(created))
}

pub async fn remove_contact(ctx: &Ctx, db: &Db, id: i32) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    let contact = contacts::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    reachable_counterparty(ctx, &txn, contact.counterparty_id).await?;
    contacts::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "contact_removed",
        &format!(
            "counterparty {} contact {id}: {} {} {}",
            contact.counterparty_id, contact.name, contact.email, contact.phone
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Fills the search text of counterparties made before it existed (or by the seed).
pub async fn backfill_search_text(db: &Db) -> AppResult<()> {
    let missing = parties::Entity::find()
        .filter(parties::Column::SearchText.eq(""))
        .all(db)
        .await?;
    for party in missing {
        let text = search_text(&party.name, &party.inn);
        let mut active: parties::ActiveModel = party.into();
        active.search_text = Set(text);
        active.update(db).await?;
    }
    Ok(())
}

/// Every counterparty by name, as choices (filters, new contracts and tasks).
pub async fn choices(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Vec<crate::model::board::Choice>, sea_orm::DbErr> {
    use crate::server::entities::counterparties;
    Ok(counterparties::Entity::find()
        .select_only()
        .column(counterparties::Column::Id)
        .column(counterparties::Column::Name)
        .order_by_asc(counterparties::Column::Name)
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name)| crate::model::board::Choice { id, name })
        .collect())
}

/// The names of counterparties `ids` (in any order, repeats allowed), by id.
pub async fn names(
    db: &impl sea_orm::ConnectionTrait,
    mut ids: Vec<i32>,
) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    use crate::server::entities::counterparties;
    ids.sort_unstable();
    ids.dedup();
    Ok(counterparties::Entity::find()
        .select_only()
        .column(counterparties::Column::Id)
        .column(counterparties::Column::Name)
        .filter(counterparties::Column::Id.is_in(ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
