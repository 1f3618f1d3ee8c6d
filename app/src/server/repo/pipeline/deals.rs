//! The deals pipeline: staff's deals from first contact to done. Staff only, no supplier; a
//! deal's party is its customer. Entering implementation the first time numbers the deal
//! (`2026-0042`), gives the number to its papers and makes its back-office tasks.
use crate::server::db::Db;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition};

use super::{Common, Face, Head, PipelineDef, StageEvent, Writes};
use crate::domain::access::{Ctx, Role};
use crate::domain::board::BoardFilter;
use crate::domain::clock::{CompanyZone, Now};
use crate::domain::deals::{DealStage, check_deal_move};
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::moves::MoveRequest;
use crate::domain::numbering::KindCodes;
use crate::domain::pipeline::{MoveError, Pipeline};
use crate::error::AppResult;
use crate::server::entities::{deals, task_templates};
use crate::server::repo::{WriteBatch, WriteTxn, contains_text};

pub struct Deals;

/// What numbering a deal reads first: the kind codes and the task templates.
pub type Numbering = Option<(KindCodes, Vec<task_templates::Model>)>;

impl PipelineDef for Deals {
    const PIPELINE: Pipeline = Pipeline::Deals;
    const MESSAGES_BY_LETTER: bool = false;
    type Entity = deals::Entity;
    type Row = deals::Model;
    type Stage = DealStage;
    type Entry = ();
    type Prepared = Numbering;

    fn column(common: Common) -> deals::Column {
        match common {
            Common::Id => deals::Column::Id,
            Common::StageId => deals::Column::StageId,
            Common::Version => deals::Column::Version,
            Common::StageEnteredAt => deals::Column::StageEnteredAt,
            Common::ResponsibleUserId => deals::Column::ResponsibleUserId,
            Common::AmountKopecks => deals::Column::AmountKopecks,
        }
    }

    fn head(row: &deals::Model) -> Head {
        Head {
            id: row.id,
            version: row.version,
            stage_id: row.stage_id,
            stage_entered_at: row.stage_entered_at,
            responsible_user_id: row.responsible_user_id,
            counterparty_id: None,
            amount: Money::from_kopecks(row.amount_kopecks),
        }
    }

    /// Deals are staff's alone.
    fn scope(ctx: &Ctx) -> Condition {
        if ctx.role.is_staff() {
            Condition::all()
        } else {
            Condition::all().add(Expr::cust("1 = 0"))
        }
    }

    /// The period is the deal's creation date (the company's days); the text is its title,
    /// customer and number.
    fn filtered(filter: &BoardFilter, zone: CompanyZone) -> Condition {
        let mut condition = Condition::all();
        if let Some(from) = filter.from {
            condition = condition.add(deals::Column::CreatedAt.gte(zone.midnight(from)));
        }
        if let Some(to) = filter.to {
            condition = condition
                .add(deals::Column::CreatedAt.lt(zone.midnight(to + chrono::Days::new(1))));
        }
        if let Some(text) = &filter.text {
            condition = condition.add(deals::Column::SearchText.like(contains_text(text)));
        }
        condition
    }

    fn face(row: &deals::Model, _stage: DealStage, _today: NaiveDate) -> Face {
        Face {
            number: row.number.clone().unwrap_or_else(|| format!("#{}", row.id)),
            title: Some(row.title.clone()),
            party: Some(row.customer.clone()),
            ..Face::default()
        }
    }

    fn check_entry(
        role: Role,
        from: DealStage,
        to: DealStage,
        _request: &MoveRequest,
        _today: NaiveDate,
    ) -> Result<(), MoveError> {
        check_deal_move(role, from, to)
    }

    fn entry_comment(_entry: &()) -> Option<String> {
        None
    }

    async fn prepare(
        _ctx: &Ctx,
        db: &Db,
        row: &deals::Model,
        to: DealStage,
        _entry: &(),
        _now: Now,
        _public_url: &str,
    ) -> AppResult<Numbering> {
        if to.numbers_the_deal() && row.number_seq.is_none() {
            Ok(Some((
                crate::server::repo::settings::kind_codes(db).await?,
                crate::server::repo::deals::active_templates(db).await?,
            )))
        } else {
            Ok(None)
        }
    }

    fn entry_writes(_row: &deals::Model, _entry: &(), _: &Numbering) -> Writes<deals::Entity> {
        Vec::new()
    }

    /// Numbers the deal in the company's year and makes its tasks.
    async fn on_entry(
        txn: &WriteTxn,
        ctx: &Ctx,
        row: &deals::Model,
        _to: DealStage,
        prepared: Numbering,
        now: Now,
    ) -> AppResult<Option<String>> {
        let Some((codes, templates)) = prepared else {
            return Ok(None);
        };
        let year = now.today().year();
        let number =
            crate::server::repo::numbering::number_deal(txn, row, year, &codes, now.at).await?;
        crate::server::repo::deals::make_template_tasks(txn, ctx, row, number, &templates, now)
            .await?;
        Ok(Some(format!("numbered {number}")))
    }

    fn add_event(batch: &mut WriteBatch, event: StageEvent) {
        batch.insert(crate::server::repo::stages::pipeline_event(
            Pipeline::Deals,
            event,
        ));
    }

    fn add_supplier_message(
        _batch: &mut WriteBatch,
        _row: &deals::Model,
        _message: &(String, String),
        _supplier_emails: &[(String, Lang)],
        _now: DateTime<Utc>,
    ) {
    }
}
