//! Staff moving a supplier document to another stage, from the board (drag, keyboard, "Move
//! to…") or the card page, and assigning its responsible person.
use leptos::prelude::*;

use crate::error::AppError;

pub use crate::model::moves::*;

/// Why a plain form's move was refused, in the address of the card page it lands on.
pub fn problem_code(error: &AppError) -> &'static str {
    match error {
        AppError::Conflict => "conflict",
        AppError::Rejected { .. } => "missing",
        AppError::Forbidden => "forbidden",
        _ => "invalid",
    }
}

/// Where a plain form's move of a deal or order lands: `return_to` (inside the staff area) or
/// the card's page when it moved, the card's page naming the problem when refused, the sign-in
/// page when signed out.
pub fn move_landing(
    result: &Result<MovedCard, AppError>,
    return_to: Option<&str>,
    card_page: &str,
) -> String {
    match result {
        Err(AppError::Unauthenticated) => "/login".to_owned(),
        Ok(_) => safe_return(return_to, card_page),
        Err(error) => format!("{card_page}?problem={}", problem_code(error)),
    }
}

/// Where a plain form returns: a page of the staff area, nothing else.
pub fn safe_return(return_to: Option<&str>, fallback: &str) -> String {
    match return_to {
        Some(path)
            if (path == "/staff" || path.starts_with("/staff/") || path.starts_with("/staff?"))
                && !path.contains("//")
                && !path.contains('\\') =>
        {
            path.to_owned()
        }
        _ => fallback.to_owned(),
    }
}

/// Moves card `id` of `pipeline`, last seen at `version`, to stage `to` through the one move
/// engine, then wakes the live boards. The stage's entry rules are checked whatever the client
/// sent; a move based on an old version is a conflict.
#[cfg(feature = "ssr")]
pub(crate) async fn move_in(
    pipeline: crate::domain::board::Pipeline,
    id: i32,
    to: &str,
    version: i32,
    request: &crate::domain::moves::MoveRequest,
) -> Result<MovedCard, AppError> {
    use crate::server::repo::pipeline::moves::move_card;
    let (ctx, state) = super::staff().await?;
    let moved = crate::with_pipeline!(pipeline, P => {
        move_card::<P>(
            &ctx,
            &state.db,
            id,
            to,
            version,
            request,
            state.now(),
            &state.settings.public_url,
        )
        .await
    })?;
    state.live.wake();
    Ok(moved)
}

/// Moves document card `id`, last seen at `version`, to stage `to`. A plain form (JavaScript
/// off) goes back to `return_to`, or on refusal to the card page, which asks for what was
/// missing.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "staff/move_document")]
pub async fn move_document(
    id: i32,
    to: String,
    version: i32,
    planned_payment_date: Option<String>,
    paid_date: Option<String>,
    comment: Option<String>,
    return_to: Option<String>,
) -> Result<MovedCard, AppError> {
    use crate::domain::board::Pipeline;
    use crate::domain::moves::MoveRequest;
    let request = MoveRequest {
        planned_payment_date,
        paid_date,
        comment,
        ..Default::default()
    };
    let result =
        crate::error::respond(move_in(Pipeline::Documents, id, &to, version, &request).await);
    let card_page = Pipeline::Documents.card_path(id);
    let landing = match &result {
        Ok(_) => safe_return(return_to.as_deref(), &card_page),
        Err(AppError::Unauthenticated) => "/login".to_owned(),
        Err(error) => format!(
            "{card_page}?move_to={}&problem={}#move",
            crate::ui::components::url::percent_encode(&to),
            problem_code(error)
        ),
    };
    crate::server::auth::redirect_plain_form(&landing);
    result
}

/// Makes staff member `user_id` responsible for document card `id`.
#[server(prefix = "/api", endpoint = "staff/assign")]
pub async fn assign_responsible(id: i32, user_id: i32) -> Result<(), AppError> {
    use crate::domain::board::Pipeline;
    crate::error::respond(assign_in(Pipeline::Documents, id, user_id).await)
}

/// Makes `user_id` responsible for card `id` of `pipeline` and wakes the live boards; a plain
/// form lands on the card's page.
#[cfg(feature = "ssr")]
pub(crate) async fn assign_in(
    pipeline: crate::domain::board::Pipeline,
    id: i32,
    user_id: i32,
) -> Result<(), AppError> {
    use crate::server::repo::pipeline::moves::assign;
    let (ctx, state) = super::staff().await?;
    crate::with_pipeline!(pipeline, P => {
        assign::<P>(&ctx, &state.db, id, user_id, state.now(), &state.settings.public_url).await
    })?;
    state.live.wake();
    crate::server::auth::redirect_plain_form(&pipeline.card_path(id));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_form_moves_land_where_the_user_expects() {
        let moved = Ok(MovedCard {
            card_id: 7,
            stage: crate::domain::pipeline::StageCode::Done,
            version: 2,
        });
        let table = [
            (&moved, Some("/staff/deals?text=x"), "/staff/deals?text=x"),
            (&moved, Some("https://evil.example/"), "/staff/deals/7"),
            (&moved, None, "/staff/deals/7"),
            (
                &Err(AppError::Conflict),
                Some("/staff/deals"),
                "/staff/deals/7?problem=conflict",
            ),
            (
                &Err(AppError::Rejected { problems: vec![] }),
                None,
                "/staff/deals/7?problem=missing",
            ),
            (&Err(AppError::Unauthenticated), None, "/login"),
        ];
        for (result, return_to, expected) in table {
            assert_eq!(
                move_landing(result, return_to, "/staff/deals/7"),
                expected,
                "{result:?}"
            );
        }
    }

    #[test]
    fn plain_forms_return_only_into_the_staff_area() {
        let table = [
            (Some("/staff/board?mine=1"), "/staff/board?mine=1"),
            (Some("/staff"), "/staff"),
            (Some("//evil.example/staff"), "/fallback"),
            (Some("https://evil.example/"), "/fallback"),
            (Some("/cabinet"), "/fallback"),
            (Some("/staffing"), "/fallback"),
            (Some("/staff/\\evil"), "/fallback"),
            (None, "/fallback"),
        ];
        for (given, expected) in table {
            assert_eq!(safe_return(given, "/fallback"), expected, "{given:?}");
        }
    }
}
