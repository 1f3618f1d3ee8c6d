//! The ledger's imports from the accounting system and the API tokens that post them. An
//! import checks the whole table first and stores all of it in one transaction or nothing:
//! a refused import keeps only its report (line, column, why). Rows imported before with the
//! same figures are skipped, by the accounting system's id.
use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::access::Ctx;
use crate::domain::api_tokens::{TOKEN_PREFIX, TokenScope};
use crate::domain::clock::Now;
use crate::domain::deadlines::DEFAULT_DEFERRAL_DAYS;
use crate::domain::ledger_import::{
    ImportOrigin, ImportPlan, Imported, Known, RowProblem, TableRow, plan, read_table,
};
use crate::domain::money::Money;
use crate::domain::settlements::{EntryKind, Side, Source};
use crate::error::{AppError, AppResult};
use crate::model::ledger_import::{ApiTokenRow, ImportReport, ImportsPage, IssuedToken};
use crate::server::db::Db;
use crate::server::entities::{
    api_tokens, contracts, counterparties, ledger_entries as entries, ledger_imports,
};

/// Who imports: a signed-in accountant or admin, or an integration with its token.
#[derive(Clone, Copy, Debug)]
pub enum Importer<'a> {
    Staff(&'a Ctx),
    Token(&'a api_tokens::Model),
}

impl Importer<'_> {
    fn origin(&self) -> ImportOrigin {
        match self {
            Importer::Staff(_) => ImportOrigin::Upload,
            Importer::Token(_) => ImportOrigin::Api,
        }
    }

    /// The staff member importing, if not an integration.
    fn user_id(&self) -> Option<i32> {
        match self {
            Importer::Staff(ctx) => Some(ctx.user_id),
            Importer::Token(_) => None,
        }
    }

    /// The integration's token, if not a staff member.
    fn token_id(&self) -> Option<i32> {
        match self {
            Importer::Token(token) => Some(token.id),
            Importer::Staff(_) => None,
        }
    }
}

/// Rows a single insert carries (15 values each: well inside both databases' limits).
const INSERT_CHUNK: usize = 500;
/// Ids a single lookup names.
const LOOKUP_CHUNK: usize = 500;
/// The import page's history.
const HISTORY: u64 = 50;

/// Imports `table` (read from `file_name`): all of it, or nothing and a report of why.
pub async fn import(
    importer: Importer<'_>,
    db: &Db,
    file_name: &str,
    table: &[TableRow],
    max_amount: Money,
    now: Now,
) -> AppResult<ImportReport> {
    if let Importer::Staff(ctx) = importer {
        ctx.require_accounting()?;
    }
    let rows = match read_table(table, max_amount, now.today()) {
        Ok(rows) => rows,
        Err(problems) => {
            let count = table.len().saturating_sub(1);
            return refused(importer, db, file_name, count, problems, now).await;
        }
    };
    let count = rows.len();
    let txn = super::begin_write(db).await?;
    let known = known_of(&txn, &rows).await?;
    let planned = plan(
        rows,
        &Known {
            counterparties: &known.counterparties,
            contracts: &known.contracts,
            imported: &known.imported,
        },
    );
    let ImportPlan { new, skipped } = match planned {
        Ok(plan) => plan,
        Err(problems) => {
            txn.rollback().await?;
            return refused(importer, db, file_name, count, problems, now).await;
        }
    };
    let record = history_row(importer, file_name, count, new.len(), skipped, &[], now)
        .insert(&txn)
        .await?;
    let mut batch = Vec::with_capacity(INSERT_CHUNK);
    for resolved in new {
        let row = resolved.row;
        let deferral = resolved
            .contract_id
            .and_then(|id| known.contract_deferral.get(&id))
            .or(known.deferral.get(&resolved.counterparty_id))
            .copied()
            .unwrap_or(DEFAULT_DEFERRAL_DAYS as i32);
        let due = match row.side {
            Side::Credit => row.due.or(due_after(row.date, deferral)),
            // An advance is closed by the date the file gives, if any.
            Side::Debit => row.due,
        };
        batch.push(entries::ActiveModel {
            counterparty_id: Set(resolved.counterparty_id),
            contract_id: Set(resolved.contract_id),
            entry_date: Set(row.date),
            due_date: Set(due),
            side: Set(row.side.code().to_owned()),
            kind: Set(EntryKind::Imported.code().to_owned()),
            amount_kopecks: Set(row.amount.kopecks()),
            source: Set(Source::Import.code().to_owned()),
            source_id: Set(record.id),
            document_number: Set(row.document_number),
            document_date: Set(row.document_date),
            reversal: Set(false),
            created_by: Set(importer.user_id()),
            created_at: Set(now.at),
            external_id: Set(Some(row.external_id)),
            ..Default::default()
        });
        if batch.len() == INSERT_CHUNK {
            entries::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(&txn)
                .await?;
        }
    }
    if !batch.is_empty() {
        entries::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
    }
    if let Importer::Token(token) = importer {
        touch(&txn, token.id, now.at).await?;
    }
    super::audit::record(
        &txn,
        importer.user_id(),
        "ledger.import",
        &format!(
            "import {} ({}): {} stored, {} skipped",
            record.id, file_name, record.imported, record.skipped
        ),
    )
    .await?;
    txn.commit().await?;
    // The admin's debtor rule looks at the new entries at once, not at the next hourly sweep.
    // The entries are stored whatever it finds; a failure is logged and the sweep retries.
    if record.imported > 0
        && let Err(error) = super::settlements::sweep(db, now.at, now.today()).await
    {
        tracing::error!(?error, "debtor rule sweep after an import failed");
    }
    report(db, record).await
}

fn due_after(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(u64::try_from(days.max(0)).unwrap_or(0)))
}

/// What the table's rows are matched against.
struct KnownRows {
    counterparties: HashMap<String, i32>,
    deferral: HashMap<i32, i32>,
    contracts: HashMap<(i32, String), i32>,
    contract_deferral: HashMap<i32, i32>,
    imported: HashMap<String, Imported>,
}

async fn known_of(
    db: &impl ConnectionTrait,
    rows: &[crate::domain::ledger_import::ImportRow],
) -> AppResult<KnownRows> {
    let mut inns: Vec<String> = rows.iter().map(|r| r.inn.clone()).collect();
    inns.sort_unstable();
    inns.dedup();
    let mut known = KnownRows {
        counterparties: HashMap::new(),
        deferral: HashMap::new(),
        contracts: HashMap::new(),
        contract_deferral: HashMap::new(),
        imported: HashMap::new(),
    };
    for chunk in inns.chunks(LOOKUP_CHUNK) {
        for party in counterparties::Entity::find()
            .filter(counterparties::Column::Inn.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            known.deferral.insert(party.id, party.payment_deferral_days);
            known.counterparties.insert(party.inn, party.id);
        }
    }
    let ids: Vec<i32> = known.counterparties.values().copied().collect();
    for chunk in ids.chunks(LOOKUP_CHUNK) {
        for contract in contracts::Entity::find()
            .filter(contracts::Column::CounterpartyId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(number) = contract.number {
                known
                    .contracts
                    .insert((contract.counterparty_id, number), contract.id);
                known
                    .contract_deferral
                    .insert(contract.id, contract.deferral_days);
            }
        }
    }
    let external: Vec<String> = rows.iter().map(|r| r.external_id.clone()).collect();
    for chunk in external.chunks(LOOKUP_CHUNK) {
        for entry in entries::Entity::find()
            .filter(entries::Column::ExternalId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let side = Side::from_code(&entry.side).unwrap_or(Side::Credit);
            if let Some(id) = entry.external_id {
                known.imported.insert(
                    id,
                    Imported {
                        counterparty_id: entry.counterparty_id,
                        contract_id: entry.contract_id,
                        date: entry.entry_date,
                        side,
                        amount: Money::from_kopecks(entry.amount_kopecks),
                    },
                );
            }
        }
    }
    Ok(known)
}

fn history_row(
    importer: Importer<'_>,
    file_name: &str,
    rows: usize,
    imported: usize,
    skipped: usize,
    problems: &[RowProblem],
    now: Now,
) -> ledger_imports::ActiveModel {
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    ledger_imports::ActiveModel {
        origin: Set(importer.origin().code().to_owned()),
        file_name: Set(file_name.chars().take(255).collect()),
        token_id: Set(importer.token_id()),
        created_by: Set(importer.user_id()),
        rows: Set(count(rows)),
        imported: Set(count(imported)),
        skipped: Set(count(skipped)),
        refused: Set(!problems.is_empty()),
        problems: Set(serde_json::to_string(problems).unwrap_or_else(|_| "[]".to_owned())),
        created_at: Set(now.at),
        ..Default::default()
    }
}

/// Keeps the report of a refused import (and nothing of its rows).
async fn refused(
    importer: Importer<'_>,
    db: &Db,
    file_name: &str,
    rows: usize,
    problems: Vec<RowProblem>,
    now: Now,
) -> AppResult<ImportReport> {
    let txn = super::begin_write(db).await?;
    let record = history_row(importer, file_name, rows, 0, 0, &problems, now)
        .insert(&txn)
        .await?;
    if let Importer::Token(token) = importer {
        touch(&txn, token.id, now.at).await?;
    }
    txn.commit().await?;
    report(db, record).await
}

async fn touch(db: &impl ConnectionTrait, token_id: i32, at: DateTime<Utc>) -> AppResult<()> {
    api_tokens::Entity::update_many()
        .col_expr(
            api_tokens::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(api_tokens::Column::Id.eq(token_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn report(
    db: &impl ConnectionTrait,
    record: ledger_imports::Model,
) -> AppResult<ImportReport> {
    reports(db, vec![record])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::Internal)
}

async fn reports(
    db: &impl ConnectionTrait,
    records: Vec<ledger_imports::Model>,
) -> AppResult<Vec<ImportReport>> {
    let users =
        super::users::names(db, records.iter().filter_map(|r| r.created_by).collect()).await?;
    let token_ids: Vec<i32> = records.iter().filter_map(|r| r.token_id).collect();
    let tokens: HashMap<i32, String> = api_tokens::Entity::find()
        .filter(api_tokens::Column::Id.is_in(token_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(records
        .into_iter()
        .map(|r| ImportReport {
            id: r.id,
            at: r.created_at,
            origin: ImportOrigin::from_code(&r.origin).unwrap_or(ImportOrigin::Upload),
            by: r
                .created_by
                .and_then(|id| users.get(&id).cloned())
                .or_else(|| r.token_id.and_then(|id| tokens.get(&id).cloned()))
                .unwrap_or_default(),
            file_name: r.file_name,
            rows: count(r.rows),
            imported: count(r.imported),
            skipped: count(r.skipped),
            refused: r.refused,
            problems: serde_json::from_str(&r.problems).unwrap_or_default(),
        })
        .collect())
}

/// The import page: the latest imports, and the API tokens for admins.
pub async fn page(ctx: &Ctx, db: &impl ConnectionTrait) -> AppResult<ImportsPage> {
    ctx.require_accounting()?;
    let records = ledger_imports::Entity::find()
        .order_by_desc(ledger_imports::Column::Id)
        .limit(HISTORY)
        .all(db)
        .await?;
    let imports = reports(db, records).await?;
    let may_manage_tokens = ctx.require_admin().is_ok();
    let tokens = if may_manage_tokens {
        tokens(db).await?
    } else {
        Vec::new()
    };
    Ok(ImportsPage {
        imports,
        tokens,
        may_manage_tokens,
    })
}

async fn tokens(db: &impl ConnectionTrait) -> AppResult<Vec<ApiTokenRow>> {
    let rows = api_tokens::Entity::find()
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await?;
    let names = super::users::names(db, rows.iter().map(|t| t.created_by).collect()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|t| {
            Some(ApiTokenRow {
                id: t.id,
                scope: TokenScope::from_code(&t.scope)?,
                created_by: names.get(&t.created_by).cloned().unwrap_or_default(),
                name: t.name,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
                revoked_at: t.revoked_at,
            })
        })
        .collect())
}

/// Issues a token of `scope` named `name` (admins); the token is in the answer only.
pub async fn issue_token(
    ctx: &Ctx,
    db: &Db,
    name: &str,
    scope: TokenScope,
    at: DateTime<Utc>,
) -> AppResult<IssuedToken> {
    ctx.require_admin()?;
    let token = format!("{TOKEN_PREFIX}{}", crate::server::auth::new_session_token());
    let txn = super::begin_write(db).await?;
    let row = api_tokens::ActiveModel {
        name: Set(name.to_owned()),
        scope: Set(scope.code().to_owned()),
        token_hash: Set(crate::server::auth::token_hash(&token)),
        created_by: Set(ctx.user_id),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::record(
        &txn,
        Some(ctx.user_id),
        "api_token.issue",
        &format!("token {} \"{}\" for {}", row.id, row.name, scope.code()),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedToken {
        id: row.id,
        name: row.name,
        token,
    })
}

/// Revokes token `id` (admins): it opens nothing from now on. Revoking twice changes nothing.
pub async fn revoke_token(ctx: &Ctx, db: &Db, id: i32, at: DateTime<Utc>) -> AppResult<()> {
    ctx.require_admin()?;
    let txn = super::begin_write(db).await?;
    let token = api_tokens::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        api_tokens::Entity::update_many()
            .col_expr(
                api_tokens::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .col_expr(
                api_tokens::Column::RevokedBy,
                sea_orm::sea_query::Expr::value(ctx.user_id),
            )
            .filter(api_tokens::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        super::audit::record(
            &txn,
            Some(ctx.user_id),
            "api_token.revoke",
            &format!("token {id} \"{}\"", token.name),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The live token `token` is, for `scope`: a wrong or revoked one is `Unauthenticated`, one
/// of another scope `Forbidden`.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
    scope: TokenScope,
) -> AppResult<api_tokens::Model> {
    let found = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(crate::server::auth::token_hash(token)))
        .one(db)
        .await?
        .filter(|t| t.revoked_at.is_none())
        .ok_or(AppError::Unauthenticated)?;
    if TokenScope::from_code(&found.scope) != Some(scope) {
        return Err(AppError::Forbidden);
    }
    Ok(found)
}
