use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::i18n::*;
use crate::ui::layout::SignedInArea;
use crate::ui::pages::{
    balance::{StaffBalancePage, SupplierBalancePage},
    login::LoginPage,
    not_found::NotFound,
    papers::{
        StaffContractPage, StaffOrderPage, StaffSpecificationPage, SupplierContractPage,
        SupplierOrderPage, SupplierPapersPage, SupplierSpecificationPage,
    },
    password::{ForgotPasswordPage, SetPasswordPage},
    payment_register::PaymentRegisterPage,
    root::RootRedirect,
    staff_board::{DealsBoardPage, OrdersBoardPage, PaymentsBoardPage, StaffBoardPage},
    staff_counterparties::StaffCounterpartiesPage,
    staff_counterparty::{
        StaffCounterpartyEditPage, StaffCounterpartyFilesPage, StaffCounterpartyPage,
    },
    staff_deal::{NewDealPage, StaffDealPage},
    staff_deal_settings::DealSettingsPage,
    staff_debtors::StaffDebtorsPage,
    staff_document::StaffDocumentPage,
    staff_home::StaffHomePage,
    staff_ledger_import::StaffLedgerImportPage,
    staff_notifications::StaffNotificationsPage,
    staff_org::OrgPage,
    staff_payment::{EditPaymentPage, NewPaymentPage, StaffPaymentPage},
    staff_search::StaffSearchPage,
    staff_stage_rules::StageRulesPage,
    supplier_document::SupplierDocumentPage,
    supplier_documents::SupplierDocumentsPage,
    supplier_home::SupplierHomePage,
    supplier_payments::SupplierPaymentsPage,
    supplier_profile::SupplierProfilePage,
    supplier_upload::SupplierUploadPage,
    tasks::{StaffTaskPage, StaffTasksPage, SupplierTaskPage, SupplierTasksPage},
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="theme-color" content="#1d4ed8" />
                <crate::ui::components::clock::CompanyZoneMeta />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// One year, in the milliseconds `leptos-use` counts in.
const LOCALE_COOKIE_MAX_AGE_MS: i64 = 365 * 24 * 60 * 60 * 1000;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // One cookie for the whole site, whatever page the language was switched on.
    let cookie_options: CookieOptions<Locale> = CookieOptions::default()
        .path::<&str>(Some("/"))
        .max_age::<i64>(Some(LOCALE_COOKIE_MAX_AGE_MS))
        .same_site::<leptos_use::SameSite>(Some(leptos_use::SameSite::Lax));

    view! {
        <I18nContextProvider cookie_options=cookie_options>
            <Router>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=RootRedirect ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=SetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset/:token") view=SetPasswordPage ssr=SsrMode::Async />
                    <ParentRoute
                        path=path!("/cabinet")
                        view=|| view! { <SignedInArea staff=false /> }
                        ssr=SsrMode::Async
                    >
                        <Route path=path!("") view=SupplierHomePage ssr=SsrMode::Async />
                        <Route path=path!("documents") view=SupplierDocumentsPage ssr=SsrMode::Async />
                        <Route path=path!("documents/:id") view=SupplierDocumentPage ssr=SsrMode::Async />
                        <Route path=path!("upload") view=SupplierUploadPage ssr=SsrMode::Async />
                        <Route path=path!("organisation") view=SupplierProfilePage ssr=SsrMode::Async />
                        <Route path=path!("orders") view=SupplierPapersPage ssr=SsrMode::Async />
                        <Route path=path!("orders/:id") view=SupplierOrderPage ssr=SsrMode::Async />
                        <Route path=path!("contracts/:id") view=SupplierContractPage ssr=SsrMode::Async />
                        <Route path=path!("specifications/:id") view=SupplierSpecificationPage ssr=SsrMode::Async />
                        <Route path=path!("payments") view=SupplierPaymentsPage ssr=SsrMode::Async />
                        <Route path=path!("balance") view=SupplierBalancePage ssr=SsrMode::Async />
                        <Route path=path!("tasks") view=SupplierTasksPage ssr=SsrMode::Async />
                        <Route path=path!("tasks/:id") view=SupplierTaskPage ssr=SsrMode::Async />
                    </ParentRoute>
                    <ParentRoute
                        path=path!("/staff")
                        view=|| view! { <SignedInArea staff=true /> }
                        ssr=SsrMode::Async
                    >
                        <Route path=path!("") view=StaffHomePage ssr=SsrMode::Async />
                        <Route path=path!("board") view=StaffBoardPage ssr=SsrMode::Async />
                        <Route path=path!("documents/:id") view=StaffDocumentPage ssr=SsrMode::Async />
                        <Route path=path!("notifications") view=StaffNotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("settings/stages") view=StageRulesPage ssr=SsrMode::Async />
                        <Route path=path!("settings/deals") view=DealSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("settings/org") view=OrgPage ssr=SsrMode::Async />
                        <Route path=path!("deals") view=DealsBoardPage ssr=SsrMode::Async />
                        <Route path=path!("deals/new") view=NewDealPage ssr=SsrMode::Async />
                        <Route path=path!("deals/:id") view=StaffDealPage ssr=SsrMode::Async />
                        <Route path=path!("orders") view=OrdersBoardPage ssr=SsrMode::Async />
                        <Route path=path!("orders/:id") view=StaffOrderPage ssr=SsrMode::Async />
                        <Route path=path!("payments") view=PaymentsBoardPage ssr=SsrMode::Async />
                        <Route path=path!("payments/new") view=NewPaymentPage ssr=SsrMode::Async />
                        <Route path=path!("payments/register") view=PaymentRegisterPage ssr=SsrMode::Async />
                        <Route path=path!("payments/:id") view=StaffPaymentPage ssr=SsrMode::Async />
                        <Route path=path!("payments/:id/edit") view=EditPaymentPage ssr=SsrMode::Async />
                        <Route path=path!("contracts/:id") view=StaffContractPage ssr=SsrMode::Async />
                        <Route path=path!("specifications/:id") view=StaffSpecificationPage ssr=SsrMode::Async />
                        <Route path=path!("tasks") view=StaffTasksPage ssr=SsrMode::Async />
                        <Route path=path!("tasks/:id") view=StaffTaskPage ssr=SsrMode::Async />
                        <Route path=path!("search") view=StaffSearchPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties") view=StaffCounterpartiesPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties/new") view=StaffCounterpartyEditPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties/:id") view=StaffCounterpartyPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties/:id/edit") view=StaffCounterpartyEditPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties/:id/files") view=StaffCounterpartyFilesPage ssr=SsrMode::Async />
                        <Route path=path!("counterparties/:id/balance") view=StaffBalancePage ssr=SsrMode::Async />
                        <Route path=path!("debtors") view=StaffDebtorsPage ssr=SsrMode::Async />
                        <Route path=path!("ledger-import") view=StaffLedgerImportPage ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}
