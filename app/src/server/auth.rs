//! Passwords, session tokens and cookies, and the `Ctx` of the signed-in user.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::ConnectInfo;
use base64::Engine as _;
use chrono::Utc;
use http::header::{ACCEPT, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::OnceLock;

use super::AppState;
use super::repo::{audit, sessions, throttle, users};
use crate::domain::access::{Ctx, Role};
use crate::domain::lang::Lang;
use crate::domain::throttle::{Gate, Outcome, gate, outcome};
use crate::error::{AppError, AppResult};

pub const SESSION_COOKIE: &str = "kabinet_session";
/// The session cookie's name over HTTPS: the `__Host-` prefix makes the browser refuse it
/// unless it is `Secure`, for this host only (no `Domain`) and for the whole site, so a
/// sibling subdomain or a plain-HTTP page cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-kabinet_session";

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}
/// The cookie `leptos_i18n` reads the interface language from.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Argon2id with the crate's defaults, which are OWASP's (19 MiB, 2 passes, 1 lane).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

pub fn verify_password(stored_hash: &str, password: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash that no password matches, checked when there is no real one to check (an unknown
/// e-mail, a switched-off account, one without a password yet) so that the answer takes the
/// same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("dummy-password").unwrap_or_default())
}

/// Argon2 runs are CPU-bound and take 19 MiB each: at most this many at once, on the blocking
/// pool, so a burst of sign-ins neither stalls the async workers nor runs the memory up.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores.clamp(1, 8))
    })
}

async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(work).await.map_err(|err| {
        tracing::error!(error = %err, "password hashing task failed");
        AppError::Internal
    })
}

/// [`hash_password`] on the blocking pool, within the bound on concurrent hashes.
pub async fn hash_password_off_thread(password: String) -> AppResult<String> {
    off_thread(move || hash_password(&password)).await?
}

/// Checks `password` against `stored_hash`, or against a dummy hash when there is none to
/// check (so every answer costs one Argon2 run), on the blocking pool.
async fn check_password(stored_hash: Option<String>, password: String) -> AppResult<bool> {
    off_thread(move || match stored_hash {
        Some(hash) if PasswordHash::new(&hash).is_ok() => verify_password(&hash, &password),
        _ => {
            let _ = verify_password(dummy_hash(), &password);
            false
        }
    })
    .await
}

pub fn new_session_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The request being served, inside a server function.
pub fn request_parts() -> AppResult<Parts> {
    use_context::<Parts>().ok_or(AppError::Internal)
}

fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The client's address, for throttling sign-in attempts. Behind a trusted proxy it is the
/// last address of `X-Forwarded-For`: the one the proxy added. The ones before it are whatever
/// the client chose to send.
pub fn client_address(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(last) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
    {
        return last.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn set_cookie(cookie: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

fn cookie_attributes(secure: bool) -> &'static str {
    if secure {
        "; Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

/// Remembers the interface language in the cookie the i18n layer reads (readable by the page's
/// script, which switches it too).
pub fn set_locale_cookie(lang: Lang, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    set_cookie(format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    ));
}

/// A plain HTML form post (JavaScript off or not yet loaded) gets a real redirect; the app's own
/// script navigates by itself on success.
pub fn redirect_plain_form(path: &str) {
    let (Some(parts), Some(response)) = (use_context::<Parts>(), use_context::<ResponseOptions>())
    else {
        return;
    };
    let plain_form = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if let (true, Ok(location)) = (plain_form, HeaderValue::from_str(path)) {
        response.insert_header(http::header::LOCATION, location);
        response.set_status(StatusCode::SEE_OTHER);
    }
}

/// The longest e-mail address there is (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Checks the credentials under the throttling policy and opens a session. Returns the user's
/// home path.
///
/// The attempt is counted as a failure before the password is checked, so a parallel burst
/// cannot get more tries than the limit, and forgotten if it was right.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client_address: &str,
) -> AppResult<String> {
    use crate::domain::accounts::MAX_PASSWORD_CHARS;
    use crate::domain::form::FieldError;
    // Before any work: nothing longer than a real address or a password we would accept.
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(crate::error::invalid(
            "email",
            FieldError::TooLong(MAX_EMAIL_CHARS),
        ));
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(crate::error::invalid(
            "password",
            FieldError::TooLong(MAX_PASSWORD_CHARS),
        ));
    }
    let email = normalize_email(email);
    let now = Utc::now();
    let policy = state.settings.throttle;
    let account_key = format!("account:{email}");
    let address_key = format!("address:{client_address}");

    let attempt = throttle::record_attempt(&state.db, &[&account_key, &address_key], now).await?;
    let since = now - policy.window;
    let account_failures =
        throttle::failures_since(&state.db, &account_key, since, &attempt).await?;
    let address_failures =
        throttle::failures_since(&state.db, &address_key, since, &attempt).await?;
    let gate = gate(&account_failures, &address_failures, policy, now);
    if let Gate::Refuse {
        retry_after_minutes,
    } = gate
    {
        // A refused attempt checks nothing, so it does not lengthen the lock.
        throttle::forget(&state.db, &attempt).await?;
        return Err(AppError::TooManyAttempts {
            retry_after_minutes,
        });
    }

    let user = users::find_by_email(&state.db, &email).await?;
    let stored_hash = user
        .as_ref()
        .filter(|user| user.active)
        .map(|user| user.password_hash.clone());
    let verified = check_password(stored_hash, password.to_owned()).await?;
    let user = match (outcome(gate, verified), user) {
        (Outcome::SignIn, Some(user)) => user,
        (
            Outcome::Locked {
                retry_after_minutes,
            },
            _,
        ) => {
            return Err(AppError::TooManyAttempts {
                retry_after_minutes,
            });
        }
        _ => return Err(AppError::InvalidCredentials),
    };

    throttle::forget(&state.db, &attempt).await?;
    if let Some(counterparty) = users::blocked_counterparty(&state.db, &user).await? {
        return Err(AppError::CounterpartyBlocked {
            reason: counterparty.block_reason,
        });
    }

    throttle::clear(&state.db, &account_key).await?;
    audit::record(&state.db, Some(user.id), "sign_in", &email).await?;
    open_session(state, &user).await
}

/// Opens a session for `user` (signed in, or just set a password by link): the cookie and the
/// interface language. Returns the user's home path.
pub async fn open_session(
    state: &AppState,
    user: &crate::server::entities::users::Model,
) -> AppResult<String> {
    let role = Role::from_code(&user.role).ok_or(AppError::Internal)?;
    let now = Utc::now();
    let token = new_session_token();
    let expires_at = state.settings.session.expires_at(now);
    sessions::create(&state.db, user.id, &token_hash(&token), now, expires_at).await?;

    let max_age = (expires_at - now).num_seconds();
    set_cookie(format!(
        "{}={token}; Max-Age={max_age}{}",
        session_cookie_name(state.settings.secure_cookies),
        cookie_attributes(state.settings.secure_cookies)
    ));
    if let Some(lang) = user.locale.as_deref().and_then(Lang::from_code) {
        set_locale_cookie(lang, state.settings.secure_cookies);
    }
    Ok(role.home_path().to_owned())
}

/// Ends the session of this request, on the server and in the browser.
pub async fn sign_out(state: &AppState, parts: &Parts) -> AppResult<()> {
    if let Some(token) = session_token(state, parts) {
        sessions::delete_by_token_hash(&state.db, &token_hash(&token)).await?;
        // The session's open live streams look at it now, and end.
        state.live.wake();
    }
    set_cookie(format!(
        "{}=; Max-Age=0{}",
        session_cookie_name(state.settings.secure_cookies),
        cookie_attributes(state.settings.secure_cookies)
    ));
    Ok(())
}

/// The session token the request carries, under the cookie name of this deployment only.
pub fn session_token(state: &AppState, parts: &Parts) -> Option<String> {
    cookie_value(parts, session_cookie_name(state.settings.secure_cookies))
}

/// The session lookup of a page request, left on the request by the page guard so that
/// rendering the page does not look the session up again.
#[derive(Clone, Debug)]
pub struct SessionLookup(pub Option<(Ctx, users::UserRecord)>);

/// The signed-in user of this request, if the session cookie names a live session of an active
/// user whose counterparty is not blocked.
pub async fn current_user(
    state: &AppState,
    parts: &Parts,
) -> AppResult<Option<(Ctx, users::UserRecord)>> {
    if let Some(SessionLookup(found)) = parts.extensions.get::<SessionLookup>() {
        return Ok(found.clone());
    }
    let Some(token) = session_token(state, parts) else {
        return Ok(None);
    };
    Ok(sessions::find_live_user(&state.db, &token_hash(&token), Utc::now()).await?)
}

/// Authenticate: the `Ctx` of this request or `Unauthenticated`.
pub async fn require_ctx() -> AppResult<Ctx> {
    let state = super::state()?;
    let parts = request_parts()?;
    let (ctx, record) = current_user(&state, &parts)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    refuse_when_balance_only(&record, parts.uri.path())?;
    Ok(ctx)
}

/// A balance-only block leaves only the balance's calls open.
pub fn refuse_when_balance_only(record: &users::UserRecord, path: &str) -> AppResult<()> {
    use crate::domain::settlements::{BlockMode, call_open_when_balance_only};
    if record.block == BlockMode::BalanceOnly && !call_open_when_balance_only(path) {
        return Err(AppError::BalanceOnly);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "wrong horse"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_session_token();
        let b = new_session_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
