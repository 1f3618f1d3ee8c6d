//! Contracts, specifications and supplier orders: made under a deal's number (or given it when
//! the deal is numbered), scoped to the counterparty for suppliers, and supplier orders moved on
//! their board with their payment deadline computed and the accountant's reminder scheduled.
use crate::server::db::Db;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::stages::{record_pipeline_event, row_among, rows_of};
use super::{audit, begin_write, counterparty_scope, numbering};
use crate::domain::access::Ctx;
use crate::domain::clock::Now;
use crate::domain::deadlines::{DeferralBase, is_overdue};
use crate::domain::deals::{
    ContractFields, ORDERS_PIPELINE, OrderFields, OrderStage, SpecificationFields,
};
use crate::domain::files::FileOwner;
use crate::domain::money::Money;
use crate::domain::numbering::ItemKind;
use crate::domain::upload::VatRate;
use crate::error::{AppError, AppResult};
use crate::model::board::Choice;
use crate::model::papers::{
    ContractChoices, ContractPage, ContractRow, OrderPage, OrderRow, SpecificationLineRow,
    SpecificationPage, SpecificationRow, SupplierPapers,
};
use crate::server::entities::{
    contracts, counterparties, deals, pipeline_events, specification_lines, specifications,
    supplier_orders as orders, tasks,
};

/// A record the form names that is not there.
fn refused(field: &str) -> AppError {
    crate::error::invalid(field, crate::domain::form::FieldError::NoSuchRecord)
}

async fn deal_numbers(
    db: &impl ConnectionTrait,
    mut ids: Vec<i32>,
) -> AppResult<HashMap<i32, Option<String>>> {
    ids.sort_unstable();
    ids.dedup();
    Ok(deals::Entity::find()
        .select_only()
        .column(deals::Column::Id)
        .column(deals::Column::Number)
        .filter(deals::Column::Id.is_in(ids))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

async fn contract_numbers(
    db: &impl ConnectionTrait,
    mut ids: Vec<i32>,
) -> AppResult<HashMap<i32, Option<String>>> {
    ids.sort_unstable();
    ids.dedup();
    Ok(contracts::Entity::find()
        .select_only()
        .column(contracts::Column::Id)
        .column(contracts::Column::Number)
        .filter(contracts::Column::Id.is_in(ids))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

pub async fn contract_rows(
    db: &impl ConnectionTrait,
    found: Vec<contracts::Model>,
) -> AppResult<Vec<ContractRow>> {
    let names =
        super::counterparties::names(db, found.iter().map(|c| c.counterparty_id).collect()).await?;
    let numbers = deal_numbers(db, found.iter().filter_map(|c| c.deal_id).collect()).await?;
    found
        .into_iter()
        .map(|c| {
            Ok(ContractRow {
                id: c.id,
                counterparty_id: c.counterparty_id,
                counterparty_name: names.get(&c.counterparty_id).cloned().unwrap_or_default(),
                deal_id: c.deal_id,
                deal_number: c.deal_id.and_then(|d| numbers.get(&d).cloned().flatten()),
                signed_on: c.signed_on,
                deferral_days: c.deferral_days,
                deferral_base: deferral_base_of(&c)?,
                number: c.number,
            })
        })
        .collect()
}

/// A contract's deferral base as stored; an unknown one is an error (logged), not a default.
pub(crate) fn deferral_base_of(contract: &contracts::Model) -> AppResult<DeferralBase> {
    DeferralBase::from_code(&contract.deferral_base).ok_or_else(|| {
        tracing::error!(contract = contract.id, base = %contract.deferral_base, "unknown deferral base");
        AppError::Internal
    })
}

pub async fn specification_rows(
    db: &impl ConnectionTrait,
    found: Vec<specifications::Model>,
) -> AppResult<Vec<SpecificationRow>> {
    let names =
        super::counterparties::names(db, found.iter().map(|s| s.counterparty_id).collect()).await?;
    let numbers = contract_numbers(db, found.iter().map(|s| s.contract_id).collect()).await?;
    Ok(found
        .into_iter()
        .map(|s| SpecificationRow {
            id: s.id,
            number: s.number,
            contract_id: s.contract_id,
            contract_number: numbers.get(&s.contract_id).cloned().flatten(),
            counterparty_name: names.get(&s.counterparty_id).cloned().unwrap_or_default(),
            deal_id: s.deal_id,
            dated_on: s.dated_on,
            total: Money::from_kopecks(s.total_kopecks),
        })
        .collect())
}

pub async fn order_rows(
    db: &impl ConnectionTrait,
    found: Vec<orders::Model>,
    today: NaiveDate,
) -> AppResult<Vec<OrderRow>> {
    let names =
        super::counterparties::names(db, found.iter().map(|o| o.counterparty_id).collect()).await?;
    let deal_numbers = deal_numbers(db, found.iter().filter_map(|o| o.deal_id).collect()).await?;
    let contract_numbers =
        contract_numbers(db, found.iter().map(|o| o.contract_id).collect()).await?;
    let all = rows_of(db, ORDERS_PIPELINE).await?;
    let by_id = super::stages::stage_names(&all)?;
    Ok(found
        .into_iter()
        .filter_map(|o| {
            Some(OrderRow {
                id: o.id,
                version: o.version,
                number: o.number,
                counterparty_id: o.counterparty_id,
                counterparty_name: names.get(&o.counterparty_id).cloned().unwrap_or_default(),
                deal_id: o.deal_id,
                deal_number: o
                    .deal_id
                    .and_then(|d| deal_numbers.get(&d).cloned().flatten()),
                contract_id: o.contract_id,
                contract_number: contract_numbers.get(&o.contract_id).cloned().flatten(),
                amount: Money::from_kopecks(o.amount_kopecks),
                stage: by_id.get(&o.stage_id)?.clone(),
                planned_delivery_on: o.planned_delivery_on,
                delivered_on: o.delivered_on,
                closing_documents_on: o.closing_documents_on,
                payment_deadline: o.payment_deadline,
                paid_on: o.paid_on,
                overdue: is_overdue(o.payment_deadline, o.paid_on.is_some(), today),
            })
        })
        .collect())
}

async fn deal_for_link(
    db: &impl ConnectionTrait,
    deal_id: Option<i32>,
) -> AppResult<Option<deals::Model>> {
    match deal_id {
        None => Ok(None),
        Some(id) => Ok(Some(
            deals::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| refused("deal"))?,
        )),
    }
}

pub async fn create_contract(
    ctx: &Ctx,
    db: &Db,
    fields: &ContractFields,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    let counterparty = counterparties::Entity::find_by_id(fields.counterparty_id)
        .one(db)
        .await?
        .ok_or_else(|| refused("counterparty"))?;
    let deferral = fields
        .deferral_days
        .map(|d| d as i32)
        .unwrap_or(counterparty.payment_deferral_days);
    let codes = super::settings::kind_codes(db).await?;
    let txn = begin_write(db).await?;
    // Read in the write transaction: the deal may be numbered by a move meanwhile.
    let deal = deal_for_link(&txn, fields.deal_id).await?;
    let (seq, number) =
        numbering::number_for_new_item(&txn, deal.as_ref(), ItemKind::Contract, &codes).await?;
    let contract = contracts::ActiveModel {
        counterparty_id: Set(counterparty.id),
        deal_id: Set(fields.deal_id),
        item_seq: Set(seq),
        number: Set(number),
        signed_on: Set(fields.signed_on),
        deferral_days: Set(deferral),
        deferral_base: Set(fields.deferral_base.code().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "contract.create",
        &format!(
            "contract {} of counterparty {} deal {:?} number {:?}",
            contract.id, counterparty.id, fields.deal_id, contract.number
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(contract.id)
}

async fn contract_for_staff(db: &impl ConnectionTrait, id: i32) -> AppResult<contracts::Model> {
    contracts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| refused("contract"))
}

pub async fn create_specification(
    ctx: &Ctx,
    db: &Db,
    fields: &SpecificationFields,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    let codes = super::settings::kind_codes(db).await?;
    let txn = begin_write(db).await?;
    let contract = contract_for_staff(&txn, fields.contract_id).await?;
    let deal = deal_for_link(&txn, contract.deal_id).await?;
    let (seq, number) =
        numbering::number_for_new_item(&txn, deal.as_ref(), ItemKind::Specification, &codes)
            .await?;
    let spec = specifications::ActiveModel {
        contract_id: Set(contract.id),
        counterparty_id: Set(contract.counterparty_id),
        deal_id: Set(contract.deal_id),
        item_seq: Set(seq),
        number: Set(number),
        dated_on: Set(fields.dated_on),
        total_kopecks: Set(fields.total.kopecks()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (position, line) in fields.lines.iter().enumerate() {
        specification_lines::ActiveModel {
            specification_id: Set(spec.id),
            position: Set(position as i32),
            name: Set(line.name.clone()),
            quantity: Set(line.quantity.to_string()),
            unit: Set(line.unit.clone()),
            price_kopecks: Set(line.price.kopecks()),
            vat: Set(line.vat.code().to_owned()),
            amount_kopecks: Set(line.amount.kopecks()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(ctx.user_id),
        "specification.create",
        &format!(
            "specification {} of contract {} number {:?}",
            spec.id, contract.id, spec.number
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(spec.id)
}

pub async fn create_order(
    ctx: &Ctx,
    db: &Db,
    fields: &OrderFields,
    now: DateTime<Utc>,
) -> AppResult<i32> {
    ctx.require_staff()?;
    let codes = super::settings::kind_codes(db).await?;
    let all = rows_of(db, ORDERS_PIPELINE).await?;
    let draft = row_among(&all, OrderStage::Draft.code())?.id;
    let txn = begin_write(db).await?;
    let contract = contract_for_staff(&txn, fields.contract_id).await?;
    let deal = deal_for_link(&txn, contract.deal_id).await?;
    let (seq, number) =
        numbering::number_for_new_item(&txn, deal.as_ref(), ItemKind::Order, &codes).await?;
    let order = orders::ActiveModel {
        counterparty_id: Set(contract.counterparty_id),
        contract_id: Set(contract.id),
        deal_id: Set(contract.deal_id),
        item_seq: Set(seq),
        number: Set(number),
        amount_kopecks: Set(fields.amount.kopecks()),
        description: Set(fields.description.clone()),
        planned_delivery_on: Set(fields.planned_delivery_on),
        delivered_on: Set(None),
        closing_documents_on: Set(None),
        payment_deadline: Set(None),
        paid_on: Set(None),
        stage_id: Set(draft),
        version: Set(1),
        responsible_user_id: Set(Some(ctx.user_id)),
        created_at: Set(now),
        stage_entered_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_pipeline_event(
        &txn,
        ORDERS_PIPELINE,
        order.id,
        None,
        draft,
        ctx.user_id,
        None,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(ctx.user_id),
        "order.create",
        &format!(
            "order {} of contract {} number {:?}",
            order.id, contract.id, order.number
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(order.id)
}

/// The contracts, specifications and orders of deal `deal_id` (staff).
pub async fn of_deal(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    deal_id: i32,
    today: NaiveDate,
) -> AppResult<(Vec<ContractRow>, Vec<SpecificationRow>, Vec<OrderRow>)> {
    ctx.require_staff()?;
    let found = contracts::Entity::find()
        .filter(contracts::Column::DealId.eq(deal_id))
        .order_by_asc(contracts::Column::Id)
        .all(db)
        .await?;
    let contracts = contract_rows(db, found).await?;
    let found = specifications::Entity::find()
        .filter(specifications::Column::DealId.eq(deal_id))
        .order_by_asc(specifications::Column::Id)
        .all(db)
        .await?;
    let specifications = specification_rows(db, found).await?;
    let found = orders::Entity::find()
        .filter(orders::Column::DealId.eq(deal_id))
        .order_by_asc(orders::Column::Id)
        .all(db)
        .await?;
    Ok((
        contracts,
        specifications,
        order_rows(db, found, today).await?,
    ))
}

pub async fn order_page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    now: Now,
) -> AppResult<OrderPage> {
    let order = orders::Entity::find_by_id(id)
        .filter(counterparty_scope(ctx, orders::Column::CounterpartyId))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let contract = contracts::Entity::find_by_id(order.contract_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let today = now.today();
    let description = order.description.clone();
    let created_at = order.created_at;
    let row = order_rows(db, vec![order], today)
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    let (stages, history, tasks) = if ctx.role.is_staff() {
        let all = rows_of(db, ORDERS_PIPELINE).await?;
        let events = pipeline_events::Entity::find()
            .filter(pipeline_events::Column::Pipeline.eq(ORDERS_PIPELINE))
            .filter(pipeline_events::Column::CardId.eq(id))
            .order_by_asc(pipeline_events::Column::At)
            .order_by_asc(pipeline_events::Column::Id)
            .all(db)
            .await?;
        (
            super::stages::stage_list(&all)?,
            super::deals::history(db, &all, events).await?,
            super::tasks::rows_linked(ctx, db, tasks::Column::OrderId, id, today).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    Ok(OrderPage {
        files: super::item_files::list(db, FileOwner::Order, id).await?,
        order: row,
        description,
        deferral_days: contract.deferral_days,
        deferral_base: deferral_base_of(&contract)?,
        stages,
        history,
        tasks,
        created_at,
        today,
    })
}

pub async fn contract_page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    now: Now,
) -> AppResult<ContractPage> {
    let contract = contracts::Entity::find_by_id(id)
        .filter(counterparty_scope(ctx, contracts::Column::CounterpartyId))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = now.today();
    let specs = specifications::Entity::find()
        .filter(specifications::Column::ContractId.eq(id))
        .order_by_asc(specifications::Column::Id)
        .all(db)
        .await?;
    let found = orders::Entity::find()
        .filter(orders::Column::ContractId.eq(id))
        .order_by_asc(orders::Column::Id)
        .all(db)
        .await?;
    Ok(ContractPage {
        files: super::item_files::list(db, FileOwner::Contract, id).await?,
        contract: contract_rows(db, vec![contract])
            .await?
            .pop()
            .ok_or(AppError::Internal)?,
        specifications: specification_rows(db, specs).await?,
        orders: order_rows(db, found, today).await?,
        today,
    })
}

pub async fn specification_page(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<SpecificationPage> {
    let spec = specifications::Entity::find_by_id(id)
        .filter(counterparty_scope(
            ctx,
            specifications::Column::CounterpartyId,
        ))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = specification_lines::Entity::find()
        .filter(specification_lines::Column::SpecificationId.eq(id))
        .order_by_asc(specification_lines::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|l| SpecificationLineRow {
            name: l.name,
            quantity: l.quantity,
            unit: l.unit,
            price: Money::from_kopecks(l.price_kopecks),
            vat: VatRate::from_code(&l.vat).unwrap_or(VatRate::WithoutVat),
            amount: Money::from_kopecks(l.amount_kopecks),
        })
        .collect();
    Ok(SpecificationPage {
        files: super::item_files::list(db, FileOwner::Specification, id).await?,
        specification: specification_rows(db, vec![spec])
            .await?
            .pop()
            .ok_or(AppError::Internal)?,
        lines,
    })
}

/// A supplier's own orders (newest first), contracts and specifications.
pub async fn supplier_papers(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    now: Now,
) -> AppResult<SupplierPapers> {
    let scope = ctx.require_supplier()?;
    let today = now.today();
    let found = orders::Entity::find()
        .filter(orders::Column::CounterpartyId.eq(scope.counterparty_id))
        .order_by_desc(orders::Column::Id)
        .all(db)
        .await?;
    let orders = order_rows(db, found, today).await?;
    let found = contracts::Entity::find()
        .filter(contracts::Column::CounterpartyId.eq(scope.counterparty_id))
        .order_by_desc(contracts::Column::Id)
        .all(db)
        .await?;
    let contracts = contract_rows(db, found).await?;
    let found = specifications::Entity::find()
        .filter(specifications::Column::CounterpartyId.eq(scope.counterparty_id))
        .order_by_desc(specifications::Column::Id)
        .all(db)
        .await?;
    Ok(SupplierPapers {
        orders,
        contracts,
        specifications: specification_rows(db, found).await?,
        today,
    })
}

/// Contracts to choose from in staff forms: a deal's own first when `deal` is given.
pub async fn contract_choices(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    deal: Option<i32>,
) -> AppResult<ContractChoices> {
    ctx.require_staff()?;
    let mut condition = Condition::all();
    if let Some(deal) = deal {
        condition = condition.add(contracts::Column::DealId.eq(deal));
    }
    let found = contracts::Entity::find()
        .filter(condition)
        .order_by_desc(contracts::Column::Id)
        .all(db)
        .await?;
    let rows = contract_rows(db, found).await?;
    Ok(ContractChoices {
        contracts: rows
            .into_iter()
            .map(|c| Choice {
                id: c.id,
                name: format!(
                    "{} · {} · {}",
                    c.number.unwrap_or_else(|| format!("#{}", c.id)),
                    c.counterparty_name,
                    c.signed_on.format("%d.%m.%Y")
                ),
            })
            .collect(),
    })
}
