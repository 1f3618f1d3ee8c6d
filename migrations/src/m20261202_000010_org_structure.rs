//! The org structure payment requests are approved along: departments (a tree) with heads,
//! each staff member's place in it, deputies for a period, the cash-flow items (статьи ДДС) a
//! request is booked to, and the admins' extra approval rules. Staff data only: on PostgreSQL a
//! supplier's transactions see none of it.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261202_000009_row_level_security::SUPPLIER_ROLE;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Name,
    ParentId,
    HeadUserId,
    Directorate,
}

#[derive(DeriveIden)]
enum StaffPlacements {
    Table,
    UserId,
    DepartmentId,
    LineManagerId,
    JobTitle,
}

#[derive(DeriveIden)]
enum Deputies {
    Table,
    Id,
    UserId,
    DeputyUserId,
    StartsOn,
    EndsOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CashFlowItems {
    Table,
    Id,
    Code,
    Name,
    Active,
}

#[derive(DeriveIden)]
enum ApprovalRules {
    Table,
    Id,
    MinAmountKopecks,
    CashFlowItemId,
    ApproverUserId,
    Active,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const STAFF_ONLY: [&str; 5] = [
    "departments",
    "staff_placements",
    "deputies",
    "cash_flow_items",
    "approval_rules",
];

/// A fresh installation's cash-flow items; admins keep the list.
const DEFAULT_ITEMS: [(&str, &str); 5] = [
    ("01", "Оплата поставщикам за товары и материалы"),
    ("02", "Оплата работ и услуг"),
    ("03", "Аренда"),
    ("04", "Капитальные вложения"),
    ("05", "Прочие платежи"),
];

fn user_fk(column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_col(column)
        .to(Users::Table, Users::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .col(pk_auto(Departments::Id))
                    .col(string(Departments::Name))
                    .col(integer_null(Departments::ParentId))
                    .col(integer_null(Departments::HeadUserId))
                    .col(boolean(Departments::Directorate).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from_col(Departments::ParentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .foreign_key(&mut user_fk(Departments::HeadUserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffPlacements::Table)
                    .col(integer(StaffPlacements::UserId).primary_key())
                    .col(integer_null(StaffPlacements::DepartmentId))
                    .col(integer_null(StaffPlacements::LineManagerId))
                    .col(string(StaffPlacements::JobTitle).default(""))
                    .foreign_key(&mut user_fk(StaffPlacements::UserId))
                    .foreign_key(&mut user_fk(StaffPlacements::LineManagerId))
                    .foreign_key(
                        ForeignKey::create()
                            .from_col(StaffPlacements::DepartmentId)
                            .to(Departments::Table, Departments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Deputies::Table)
                    .col(pk_auto(Deputies::Id))
                    .col(integer(Deputies::UserId))
                    .col(integer(Deputies::DeputyUserId))
                    .col(date(Deputies::StartsOn))
                    .col(date(Deputies::EndsOn))
                    .col(timestamp_with_time_zone(Deputies::CreatedAt))
                    .foreign_key(&mut user_fk(Deputies::UserId))
                    .foreign_key(&mut user_fk(Deputies::DeputyUserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deputies_user")
                    .table(Deputies::Table)
                    .col(Deputies::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CashFlowItems::Table)
                    .col(pk_auto(CashFlowItems::Id))
                    .col(string_uniq(CashFlowItems::Code))
                    .col(string(CashFlowItems::Name))
                    .col(boolean(CashFlowItems::Active).default(true))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(CashFlowItems::Table)
            .columns([CashFlowItems::Code, CashFlowItems::Name])
            .to_owned();
        for (code, name) in DEFAULT_ITEMS {
            insert.values_panic([code.into(), name.into()]);
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table(ApprovalRules::Table)
                    .col(pk_auto(ApprovalRules::Id))
                    .col(big_integer_null(ApprovalRules::MinAmountKopecks))
                    .col(integer_null(ApprovalRules::CashFlowItemId))
                    .col(integer(ApprovalRules::ApproverUserId))
                    .col(boolean(ApprovalRules::Active).default(true))
                    .foreign_key(&mut user_fk(ApprovalRules::ApproverUserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from_col(ApprovalRules::CashFlowItemId)
                            .to(CashFlowItems::Table, CashFlowItems::Id),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            let db = manager.get_connection();
            for table in STAFF_ONLY {
                db.execute_unprepared(&format!(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {SUPPLIER_ROLE}; \
                     ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
                     CREATE POLICY staff_only ON {table} TO {SUPPLIER_ROLE} \
                     USING (false) WITH CHECK (false)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in STAFF_ONLY.into_iter().rev() {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
