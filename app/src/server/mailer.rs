//! The e-mail sender: drains the outbox table every few seconds. With `SMTP_URL` set it sends
//! through that server; without, each letter is written as an `.eml` file under the data
//! directory and its link is logged, so the demo needs nothing else running.
use crate::server::db::Db;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::repo::accounts;
use crate::error::AppResult;

pub enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    Files(PathBuf),
}

pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
}

impl Mailer {
    /// `smtp_url` like `smtps://user:password@smtp.example.ru` (lettre's URL form); without
    /// it letters go to `outbox_dir`.
    pub fn new(smtp_url: Option<&str>, from: &str, outbox_dir: PathBuf) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|err| format!("MAIL_FROM {from:?}: {err}"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(Box::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|err| format!("SMTP_URL: {err}"))?
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(&outbox_dir)
                    .map_err(|err| format!("{}: {err}", outbox_dir.display()))?;
                Transport::Files(outbox_dir)
            }
        };
        Ok(Mailer { transport, from })
    }

    async fn send(&self, id: i32, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|err| format!("address {to:?}: {err}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|err| err.to_string())?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                let path = dir.join(format!("{id:06}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|err| err.to_string())?;
                // The letter's link is not logged: it opens an account.
                tracing::info!(
                    to = %to,
                    file = %path.display(),
                    "e-mail written (no SMTP_URL set)"
                );
                Ok(())
            }
        }
    }
}

/// Sends what is waiting; returns how many letters went out.
pub async fn drain_once(db: &Db, mailer: &Mailer) -> AppResult<usize> {
    let mut sent = Vec::new();
    let mut failed = Vec::new();
    for letter in accounts::claim_letters(db, Utc::now(), 20).await? {
        match mailer
            .send(
                letter.id,
                &letter.to_address,
                &letter.subject,
                &letter.body_text,
            )
            .await
        {
            Ok(()) => sent.push(letter.id),
            Err(err) => {
                tracing::warn!(id = letter.id, error = %err, "e-mail not sent; will retry");
                failed.push((letter.id, err));
            }
        }
    }
    accounts::record_sending(db, &sent, &failed, Utc::now()).await?;
    Ok(sent.len())
}

/// Runs the sender for the life of the process.
pub fn spawn(db: Db, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(err) = drain_once(&db, &mailer).await {
                tracing::warn!(error = %err, "e-mail outbox");
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    })
}
