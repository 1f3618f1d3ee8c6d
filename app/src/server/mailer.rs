//! The e-mail sender: drains the outbox table every few seconds. With `SMTP_URL` set it sends
//! through that server; without, each letter is written as an `.eml` file under the data
//! directory and its link is logged, so the demo needs nothing else running. A letter that
//! names files (the payment order of a payment letter) carries them, read from the file store
//! as it is sent; the `.eml` file holds them too.
use crate::server::db::Db;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::io::AsyncReadExt as _;

use super::repo::accounts;
use super::storage::FileStore;
use crate::domain::accounts::LetterFile;
use crate::error::AppResult;

pub enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    Files(PathBuf),
}

pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    /// Where the files letters carry are read from; without it such a letter waits.
    pub files: Option<Arc<dyn FileStore>>,
}

/// A letter's file in memory. Files are capped by the upload limit, and a letter carries few.
struct Carried {
    name: String,
    mime: String,
    bytes: Vec<u8>,
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
        Ok(Mailer {
            transport,
            from,
            files: None,
        })
    }

    /// The store the letters' files are read from.
    pub fn with_files(mut self, files: Arc<dyn FileStore>) -> Mailer {
        self.files = Some(files);
        self
    }

    async fn carried(&self, attachments: Option<&str>) -> Result<Vec<Carried>, String> {
        let Some(json) = attachments else {
            return Ok(Vec::new());
        };
        let named: Vec<LetterFile> =
            serde_json::from_str(json).map_err(|err| format!("attachments: {err}"))?;
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let store = self.files.as_ref().ok_or("no file store for attachments")?;
        let mut carried = Vec::with_capacity(named.len());
        for file in named {
            let (mut reader, size) = store
                .open(&file.sha256)
                .await
                .map_err(|err| format!("attachment {}: {err}", file.sha256))?;
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            reader
                .read_to_end(&mut bytes)
                .await
                .map_err(|err| format!("attachment {}: {err}", file.sha256))?;
            carried.push(Carried {
                name: file.name,
                mime: file.mime,
                bytes,
            });
        }
        Ok(carried)
    }

    async fn send(
        &self,
        id: i32,
        to: &str,
        subject: &str,
        body: &str,
        attachments: Option<&str>,
    ) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|err| format!("address {to:?}: {err}"))?;
        let carried = self.carried(attachments).await?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(subject);
        let message = if carried.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_owned())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(body.to_owned()));
            for file in carried {
                let kind = ContentType::parse(&file.mime)
                    .or_else(|_| ContentType::parse("application/octet-stream"))
                    .map_err(|err| err.to_string())?;
                parts = parts.singlepart(Attachment::new(file.name).body(file.bytes, kind));
            }
            builder.multipart(parts)
        }
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
                letter.attachments.as_deref(),
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
