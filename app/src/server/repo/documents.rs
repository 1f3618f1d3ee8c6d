//! Supplier document cards: what the home pages summarise.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::stages::{id_among, pipeline_stages, stage_name};
use super::{contains_text, counterparty_scope};
use crate::domain::access::Ctx;
use crate::domain::documents::{DocumentQuery, PAGE_SIZE, page_count};
use crate::domain::money::Money;
use crate::domain::stage::DocumentStage;
use crate::domain::upload::{DocumentKind, VatRate};
use crate::error::{AppError, AppResult};
use crate::model::documents::{DocumentDetails, DocumentList, FileInfo, TimelineEntry};
use crate::model::home::{
    DocumentRow, PlannedPayment, ReturnedDocument, StaffOverview, StageName, StageSummary,
    SupplierOverview,
};
use crate::server::entities::{counterparties, document_cards as cards, stage_events, stages};

const LIST_LIMIT: u64 = 10;

/// Count and sum of the cards `ctx` may see, per stage.
async fn stage_summaries(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    all: &[stages::Model],
) -> AppResult<Vec<StageSummary>> {
    use super::pipeline::{PipelineDef, documents::Documents};
    let by_stage =
        super::pipeline::board::stage_totals::<Documents>(db, Documents::scope(ctx)).await?;
    all.iter()
        .map(|stage| {
            let (count, total) = by_stage.get(&stage.id).copied().unwrap_or_default();
            Ok(StageSummary {
                stage: stage_name(stage)?,
                count,
                total,
            })
        })
        .collect()
}

fn awaiting_payment(summaries: &[StageSummary]) -> Money {
    summaries
        .iter()
        .filter(|s| {
            DocumentStage::from_code(s.stage.code.code()).is_some_and(DocumentStage::awaits_payment)
        })
        .map(|s| s.total)
        .sum()
}

pub async fn supplier_home(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> AppResult<SupplierOverview> {
    let scope = ctx.require_supplier()?;
    let counterparty = counterparties::Entity::find_by_id(scope.counterparty_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = pipeline_stages(db).await?;
    let stages = stage_summaries(ctx, db, &all).await?;

    let next_payments = cards::Entity::find()
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .filter(cards::Column::StageId.eq(id_among(&all, DocumentStage::PaymentPlan)?))
        .filter(cards::Column::PlannedPaymentDate.gte(today))
        .order_by_asc(cards::Column::PlannedPaymentDate)
        .limit(LIST_LIMIT)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|card| {
            Some(PlannedPayment {
                card_id: card.id,
                date: card.planned_payment_date?,
                invoice_number: card.invoice_number,
                amount: Money::from_kopecks(card.amount_kopecks),
            })
        })
        .collect();

    let returned = cards::Entity::find()
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .filter(cards::Column::StageId.eq(id_among(&all, DocumentStage::Returned)?))
        .order_by_desc(cards::Column::StageEnteredAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?
        .into_iter()
        .map(|card| ReturnedDocument {
            card_id: card.id,
            invoice_number: card.invoice_number,
            amount: Money::from_kopecks(card.amount_kopecks),
            reason: card.return_comment.unwrap_or_default(),
            returned_at: card.stage_entered_at,
        })
        .collect();

    Ok(SupplierOverview {
        counterparty_name: counterparty.name,
        awaiting_payment: awaiting_payment(&stages),
        stages,
        next_payments,
        returned,
    })
}

/// Rows for the list: names of counterparties and stages filled in.
async fn document_rows(
    db: &impl ConnectionTrait,
    all: &[stages::Model],
    found: Vec<cards::Model>,
) -> AppResult<Vec<DocumentRow>> {
    let counterparty_ids: Vec<i32> = found.iter().map(|c| c.counterparty_id).collect();
    let names: HashMap<i32, String> = counterparties::Entity::find()
        .filter(counterparties::Column::Id.is_in(counterparty_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let stage_names: HashMap<i32, StageName> = super::stages::stage_names(all)?;
    Ok(found
        .into_iter()
        .filter_map(|card| {
            Some(DocumentRow {
                card_id: card.id,
                counterparty_name: names.get(&card.counterparty_id)?.clone(),
                stage: stage_names.get(&card.stage_id)?.clone(),
                invoice_number: card.invoice_number,
                invoice_date: card.invoice_date,
                amount: Money::from_kopecks(card.amount_kopecks),
                stage_entered_at: card.stage_entered_at,
            })
        })
        .collect())
}

/// The documents `ctx` may see that match `query`, newest first, one page.
pub async fn list(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    query: &DocumentQuery,
) -> AppResult<DocumentList> {
    let all = pipeline_stages(db).await?;
    let mut select =
        cards::Entity::find().filter(counterparty_scope(ctx, cards::Column::CounterpartyId));
    if let Some(stage) = query.stage {
        select = select.filter(cards::Column::StageId.eq(id_among(&all, stage)?));
    }
    if let Some(from) = query.from {
        select = select.filter(cards::Column::InvoiceDate.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(cards::Column::InvoiceDate.lte(to));
    }
    if let Some(text) = &query.text {
        select = select.filter(cards::Column::SearchText.like(contains_text(text)));
    }
    let total = select.clone().count(db).await?;
    let pages = page_count(total);
    let page = query.page.min(pages);
    let found = select
        .order_by_desc(cards::Column::CreatedAt)
        .order_by_desc(cards::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    Ok(DocumentList {
        rows: document_rows(db, &all, found).await?,
        total,
        page,
        pages,
        stages: super::stages::stage_list(&all)?,
    })
}

/// One document `ctx` may see, with every stage it reached.
pub async fn details(ctx: &Ctx, db: &impl ConnectionTrait, id: i32) -> AppResult<DocumentDetails> {
    let last_change = super::changes::last_change(db).await?;
    let card = super::card_in_scope(ctx, db, id).await?;
    let all = pipeline_stages(db).await?;
    let names: HashMap<i32, StageName> = super::stages::stage_names(&all)?;
    let timeline = stage_events::Entity::find()
        .filter(stage_events::Column::CardId.eq(card.id))
        .order_by_asc(stage_events::Column::At)
        .order_by_asc(stage_events::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|event| {
            Some(TimelineEntry {
                stage: names.get(&event.to_stage_id)?.clone(),
                at: event.at,
            })
        })
        .collect();
    let stage = names
        .get(&card.stage_id)
        .cloned()
        .ok_or(AppError::Internal)?;
    let returned =
        stage.code == crate::domain::pipeline::StageSet::stage_code(DocumentStage::Returned);
    // The card was found within `ctx`'s scope above.
    let files = super::files::of_checked_card(db, card.id)
        .await?
        .into_iter()
        .map(|file| FileInfo {
            id: file.id,
            name: file.original_name,
            mime: file.mime,
            size_bytes: file.size_bytes,
            uploaded_at: file.uploaded_at,
        })
        .collect();
    Ok(DocumentDetails {
        card_id: card.id,
        invoice_number: card.invoice_number,
        invoice_date: card.invoice_date,
        amount: Money::from_kopecks(card.amount_kopecks),
        comment: card.comment,
        stage,
        planned_payment_date: card.planned_payment_date,
        paid_date: card.paid_date,
        return_comment: card.return_comment.filter(|_| returned),
        timeline,
        kind: DocumentKind::from_code(&card.kind),
        vat: VatRate::from_code(&card.vat),
        possible_duplicate: card.possible_duplicate,
        files,
        messages: super::messages::thread_of_checked_card(db, card.id).await?,
        last_change,
    })
}

/// A counterparty's latest documents (staff), and how many it has in all.
pub async fn latest_of_counterparty(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    counterparty_id: i32,
    limit: u64,
) -> AppResult<(Vec<DocumentRow>, u64)> {
    ctx.require_staff()?;
    let all = pipeline_stages(db).await?;
    let select = cards::Entity::find().filter(cards::Column::CounterpartyId.eq(counterparty_id));
    let total = select.clone().count(db).await?;
    let found = select
        .order_by_desc(cards::Column::CreatedAt)
        .order_by_desc(cards::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok((document_rows(db, &all, found).await?, total))
}

pub async fn staff_home(ctx: &Ctx, db: &impl ConnectionTrait) -> AppResult<StaffOverview> {
    ctx.require_staff()?;
    let all = pipeline_stages(db).await?;
    let stages = stage_summaries(ctx, db, &all).await?;
    let counterparty_count = counterparties::Entity::find().count(db).await?;

    let recent_cards = cards::Entity::find()
        .filter(counterparty_scope(ctx, cards::Column::CounterpartyId))
        .order_by_desc(cards::Column::CreatedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let recent = document_rows(db, &all, recent_cards).await?;

    Ok(StaffOverview {
        awaiting_payment: awaiting_payment(&stages),
        stages,
        counterparties: counterparty_count,
        recent,
    })
}
