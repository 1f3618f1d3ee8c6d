//! Sign-in throttling: too many failed attempts for one account, or from one client address,
//! within a window lock further attempts until the window has passed.
use chrono::{DateTime, TimeDelta, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: TimeDelta,
    pub max_failures_per_account: usize,
    pub max_failures_per_address: usize,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: TimeDelta::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_address: 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    Locked { retry_after_minutes: i64 },
}

/// `failures` are the times of failed attempts for one key (any order, any age).
pub fn decide(
    failures: &[DateTime<Utc>],
    limit: usize,
    window: TimeDelta,
    now: DateTime<Utc>,
) -> ThrottleDecision {
    let mut recent: Vec<_> = failures
        .iter()
        .copied()
        .filter(|at| *at > now - window && *at <= now)
        .collect();
    if limit == 0 || recent.len() < limit {
        return ThrottleDecision::Allow;
    }
    recent.sort_unstable();
    // Unlocks when the oldest of the last `limit` failures leaves the window.
    let unlock_at = recent[recent.len() - limit] + window;
    let seconds = (unlock_at - now).num_seconds().max(1);
    ThrottleDecision::Locked {
        retry_after_minutes: (seconds + 59) / 60,
    }
}

/// The stricter of two decisions.
pub fn stricter(a: ThrottleDecision, b: ThrottleDecision) -> ThrottleDecision {
    match (a, b) {
        (ThrottleDecision::Allow, other) | (other, ThrottleDecision::Allow) => other,
        (
            ThrottleDecision::Locked {
                retry_after_minutes: x,
            },
            ThrottleDecision::Locked {
                retry_after_minutes: y,
            },
        ) => ThrottleDecision::Locked {
            retry_after_minutes: x.max(y),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + TimeDelta::minutes(minute)
    }

    #[test]
    fn locks_after_the_limit_within_the_window() {
        let window = TimeDelta::minutes(15);
        let table: [(&[i64], i64, ThrottleDecision); 6] = [
            (&[], 0, ThrottleDecision::Allow),
            (&[0, 1, 2, 3], 4, ThrottleDecision::Allow),
            (
                &[0, 1, 2, 3, 4],
                5,
                ThrottleDecision::Locked {
                    retry_after_minutes: 10,
                },
            ),
            // The oldest failure left the window: four remain.
            (&[0, 1, 2, 3, 4], 15, ThrottleDecision::Allow),
            // Old failures outside the window do not count.
            (&[-60, -50, -40, -30, 1], 2, ThrottleDecision::Allow),
            (
                &[4, 3, 2, 1, 0, 5],
                6,
                ThrottleDecision::Locked {
                    retry_after_minutes: 10,
                },
            ),
        ];
        for (failures, now, expected) in table {
            let failures: Vec<_> = failures.iter().map(|m| at(*m)).collect();
            assert_eq!(
                decide(&failures, 5, window, at(now)),
                expected,
                "{failures:?} at {now}"
            );
        }
    }

    #[test]
    fn stricter_wins() {
        let locked = |m| ThrottleDecision::Locked {
            retry_after_minutes: m,
        };
        assert_eq!(
            stricter(ThrottleDecision::Allow, ThrottleDecision::Allow),
            ThrottleDecision::Allow
        );
        assert_eq!(stricter(ThrottleDecision::Allow, locked(3)), locked(3));
        assert_eq!(stricter(locked(3), ThrottleDecision::Allow), locked(3));
        assert_eq!(stricter(locked(3), locked(9)), locked(9));
    }
}
