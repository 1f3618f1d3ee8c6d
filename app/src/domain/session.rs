//! How long a sign-in lasts.
use chrono::{DateTime, TimeDelta, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub lifetime: TimeDelta,
}

impl Default for SessionPolicy {
    /// A working day and a half: a person signs in once a day.
    fn default() -> Self {
        SessionPolicy {
            lifetime: TimeDelta::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn expires_at(self, signed_in_at: DateTime<Utc>) -> DateTime<Utc> {
        signed_in_at + self.lifetime
    }
}

pub fn session_is_live(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < expires_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_its_lifetime() {
        let policy = SessionPolicy::default();
        let start = DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let end = policy.expires_at(start);
        let table = [
            (start, true),
            (start + TimeDelta::hours(11), true),
            (end - TimeDelta::seconds(1), true),
            (end, false),
            (end + TimeDelta::days(1), false),
        ];
        for (now, live) in table {
            assert_eq!(session_is_live(end, now), live, "{now}");
        }
    }
}
