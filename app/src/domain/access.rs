//! Roles and the request context every server function runs with.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Supplier,
    Manager,
    Supervisor,
    Accountant,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Supplier,
        Role::Manager,
        Role::Supervisor,
        Role::Accountant,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Supplier => "supplier",
            Role::Manager => "manager",
            Role::Supervisor => "supervisor",
            Role::Accountant => "accountant",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Everyone who works for the buying company, as opposed to a counterparty's employee.
    pub fn is_staff(self) -> bool {
        self != Role::Supplier
    }

    /// Where a user lands after signing in.
    pub fn home_path(self) -> &'static str {
        if self.is_staff() {
            "/staff"
        } else {
            "/cabinet"
        }
    }
}

/// Who is asking: built once per request from the session, passed first to every repository
/// function so a supplier's scope cannot be forgotten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ctx {
    pub user_id: i32,
    pub role: Role,
    /// Set for suppliers (exactly one counterparty), empty for staff.
    pub counterparty_id: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("this part of the application is for staff only")]
    StaffOnly,
    #[error("this part of the application is for suppliers only")]
    SuppliersOnly,
    #[error("this part of the application is for admins only")]
    AdminOnly,
    #[error("this part of the application is for accountants and admins only")]
    AccountingOnly,
}

/// What a supplier's queries are limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplierScope {
    pub user_id: i32,
    pub counterparty_id: i32,
}

impl Ctx {
    pub fn require_staff(&self) -> Result<&Ctx, AccessError> {
        if self.role.is_staff() {
            Ok(self)
        } else {
            Err(AccessError::StaffOnly)
        }
    }

    pub fn require_admin(&self) -> Result<&Ctx, AccessError> {
        if self.role == Role::Admin {
            Ok(self)
        } else {
            Err(AccessError::AdminOnly)
        }
    }

    /// Accountants and admins: the ledger's imports.
    pub fn require_accounting(&self) -> Result<&Ctx, AccessError> {
        if matches!(self.role, Role::Accountant | Role::Admin) {
            Ok(self)
        } else {
            Err(AccessError::AccountingOnly)
        }
    }

    pub fn require_supplier(&self) -> Result<SupplierScope, AccessError> {
        match (self.role, self.counterparty_id) {
            (Role::Supplier, Some(counterparty_id)) => Ok(SupplierScope {
                user_id: self.user_id,
                counterparty_id,
            }),
            _ => Err(AccessError::SuppliersOnly),
        }
    }
}

/// Where a page request goes before anything renders: the signed-in areas are closed to
/// strangers and to the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageAccess {
    Allow,
    RedirectTo(&'static str),
}

pub const SIGN_IN_PATH: &str = "/login";

fn in_area(path: &str, area: &str) -> bool {
    path == area
        || path
            .strip_prefix(area)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Pages whose answer depends on who is signed in; every other page is the same for everyone.
pub fn is_guarded_path(path: &str) -> bool {
    path == "/" || path == SIGN_IN_PATH || in_area(path, "/staff") || in_area(path, "/cabinet")
}

/// `role` is the signed-in user's, if any.
pub fn page_access(path: &str, role: Option<Role>) -> PageAccess {
    if !is_guarded_path(path) {
        return PageAccess::Allow;
    }
    let area_of_staff = in_area(path, "/staff");
    let area_of_suppliers = in_area(path, "/cabinet");
    match role {
        None if path == "/" || area_of_staff || area_of_suppliers => {
            PageAccess::RedirectTo(SIGN_IN_PATH)
        }
        Some(role) if path == "/" || path == SIGN_IN_PATH => {
            PageAccess::RedirectTo(role.home_path())
        }
        Some(role)
            if (area_of_staff && !role.is_staff()) || (area_of_suppliers && role.is_staff()) =>
        {
            PageAccess::RedirectTo(role.home_path())
        }
        _ => PageAccess::Allow,
    }
}

/// A supplier user must belong to exactly one counterparty; staff to none.
pub fn counterparty_link_is_valid(role: Role, counterparty_id: Option<i32>) -> bool {
    role.is_staff() == counterparty_id.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(role: Role, counterparty_id: Option<i32>) -> Ctx {
        Ctx {
            user_id: 7,
            role,
            counterparty_id,
        }
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
        assert_eq!(Role::from_code(""), None);
    }

    #[test]
    fn staff_and_supplier_areas() {
        let table = [
            // role, counterparty, staff area allowed, supplier area allowed, home
            (Role::Supplier, Some(1), false, true, "/cabinet"),
            (Role::Supplier, None, false, false, "/cabinet"),
            (Role::Manager, None, true, false, "/staff"),
            (Role::Supervisor, None, true, false, "/staff"),
            (Role::Accountant, None, true, false, "/staff"),
            (Role::Admin, None, true, false, "/staff"),
        ];
        for (role, counterparty, staff_ok, supplier_ok, home) in table {
            let c = ctx(role, counterparty);
            assert_eq!(c.require_staff().is_ok(), staff_ok, "{role:?} staff area");
            assert_eq!(
                c.require_supplier().is_ok(),
                supplier_ok,
                "{role:?} supplier area"
            );
            assert_eq!(role.home_path(), home);
        }
    }

    #[test]
    fn supplier_scope_carries_the_counterparty() {
        let scope = ctx(Role::Supplier, Some(42)).require_supplier().unwrap();
        assert_eq!(scope.counterparty_id, 42);
        assert_eq!(scope.user_id, 7);
    }

    #[test]
    fn page_access_by_area_and_role() {
        use PageAccess::*;
        let table = [
            ("/", None, RedirectTo("/login")),
            ("/login", None, Allow),
            ("/cabinet", None, RedirectTo("/login")),
            ("/cabinet/documents/5", None, RedirectTo("/login")),
            ("/staff", None, RedirectTo("/login")),
            ("/no-such-page", None, Allow),
            ("/cabinetry", None, Allow),
            ("/", Some(Role::Supplier), RedirectTo("/cabinet")),
            ("/login", Some(Role::Supplier), RedirectTo("/cabinet")),
            ("/cabinet", Some(Role::Supplier), Allow),
            ("/cabinet/documents", Some(Role::Supplier), Allow),
            ("/staff", Some(Role::Supplier), RedirectTo("/cabinet")),
            ("/staff/board", Some(Role::Supplier), RedirectTo("/cabinet")),
            ("/", Some(Role::Accountant), RedirectTo("/staff")),
            ("/staff", Some(Role::Manager), Allow),
            ("/cabinet", Some(Role::Manager), RedirectTo("/staff")),
            ("/cabinet", Some(Role::Admin), RedirectTo("/staff")),
        ];
        for (path, role, expected) in table {
            assert_eq!(page_access(path, role), expected, "{path} {role:?}");
        }
    }

    #[test]
    fn only_guarded_paths_depend_on_the_user() {
        for (path, guarded) in [
            ("/", true),
            ("/login", true),
            ("/staff", true),
            ("/cabinet/documents/5", true),
            ("/favicon.svg", false),
            ("/no-such-page", false),
            ("/cabinetry", false),
        ] {
            assert_eq!(is_guarded_path(path), guarded, "{path}");
            if !guarded {
                for role in [None, Some(Role::Supplier), Some(Role::Manager)] {
                    assert_eq!(
                        page_access(path, role),
                        PageAccess::Allow,
                        "{path} {role:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn counterparty_links() {
        let table = [
            (Role::Supplier, Some(1), true),
            (Role::Supplier, None, false),
            (Role::Manager, None, true),
            (Role::Manager, Some(1), false),
            (Role::Admin, Some(3), false),
        ];
        for (role, counterparty, valid) in table {
            assert_eq!(
                counterparty_link_is_valid(role, counterparty),
                valid,
                "{role:?} {counterparty:?}"
            );
        }
    }
}
