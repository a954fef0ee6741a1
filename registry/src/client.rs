//! A supervisor's HTTP client for the registry (the CLI, the demo, tests).
//!
//! One method per supervisor endpoint; the registry audits each call under
//! the logged-in supervisor's name.

use crate::api::districts::{DistrictList, DistrictView};
use crate::api::supervisor::{
    AuditPageView, CasePageView, CaseView, DevicePageView, DeviceView, EnrolmentCode, Published,
    Token,
};
use crate::scope::{CaseCursor, MAX_PAGE};
use crate::storage::{AuditRow, CaseRow};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use komek_core::sync::bundle::BUNDLE_CONTENT_TYPE;
use komek_core::sync::wire::{ApiError, CaseStatus};
use serde::de::DeserializeOwned;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("network: {0}")]
    Network(String),
    #[error("registry refused ({status}): {code}: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("unexpected answer from the registry")]
    Protocol,
    /// No transport to this URL: plain http to a host that is not loopback,
    /// https without pins, a malformed pin.
    #[error("transport: {0}")]
    Tls(#[from] komek_core::sync::TlsError),
}

impl ClientError {
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A logged-in supervisor.
pub struct SupervisorClient {
    base: String,
    http: reqwest::Client,
    token: String,
}

/// An HTTP client that accepts exactly the certificates of `pins` on https
/// (the device's verifier, `komek_core::sync::tls`), plain on loopback http.
fn pinned_http(base: &str, pins: &[String]) -> Result<reqwest::Client, ClientError> {
    use komek_core::sync::tls::{client_config, verifier_for, TlsError};
    let builder = reqwest::Client::builder().timeout(std::time::Duration::from_secs(60));
    let builder = match verifier_for(base.trim_end_matches('/'), pins)? {
        None => builder,
        Some(verifier) => builder
            .use_preconfigured_tls(client_config(verifier)?)
            .https_only(true),
    };
    builder
        .build()
        .map_err(|e| TlsError::Setup(e.to_string()).into())
}

/// The body of a successful answer, or the registry's refusal.
async fn answer_bytes(
    resp: Result<reqwest::Response, reqwest::Error>,
) -> Result<Vec<u8>, ClientError> {
    let resp = resp.map_err(|e| ClientError::Network(e.to_string()))?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| ClientError::Network(e.to_string()))?;
    if !(200..300).contains(&status) {
        let e: ApiError = serde_json::from_slice(&body).map_err(|_| ClientError::Protocol)?;
        return Err(ClientError::Refused {
            status,
            code: e.code,
            message: e.message,
        });
    }
    Ok(body.to_vec())
}

async fn answer<T: DeserializeOwned>(
    resp: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, ClientError> {
    let body = answer_bytes(resp).await?;
    let body = if body.is_empty() {
        &b"null"[..]
    } else {
        &body[..]
    };
    serde_json::from_slice(body).map_err(|_| ClientError::Protocol)
}

impl SupervisorClient {
    /// Log in at a plain-HTTP registry (loopback, or the office's own
    /// TLS-terminating proxy). For an https registry use [`Self::login_pinned`].
    pub async fn login(
        base: &str,
        name: &str,
        password: &str,
    ) -> Result<SupervisorClient, ClientError> {
        SupervisorClient::login_with(base, name, password, reqwest::Client::new()).await
    }

    /// Log in at `base`, accepting on https exactly the certificates of
    /// `pins` (the same pins devices hold; see `komek_core::sync::tls`).
    pub async fn login_pinned(
        base: &str,
        name: &str,
        password: &str,
        pins: &[String],
    ) -> Result<SupervisorClient, ClientError> {
        let http = pinned_http(base, pins)?;
        SupervisorClient::login_with(base, name, password, http).await
    }

    async fn login_with(
        base: &str,
        name: &str,
        password: &str,
        http: reqwest::Client,
    ) -> Result<SupervisorClient, ClientError> {
        let base = base.trim_end_matches('/').to_string();
        let body = json!({ "name": name, "password": password }).to_string();
        let token: Token = answer(
            http.post(format!("{base}/v1/supervisor/login"))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await,
        )
        .await?;
        Ok(SupervisorClient {
            base,
            http,
            token: token.token,
        })
    }

    /// A client for a session opened earlier (the token `login` returned).
    pub fn with_token(base: &str, token: &str) -> SupervisorClient {
        SupervisorClient {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
            token: token.to_string(),
        }
    }

    /// [`Self::with_token`] for an https registry: accepts exactly the
    /// certificates of `pins`.
    pub fn with_token_pinned(
        base: &str,
        token: &str,
        pins: &[String],
    ) -> Result<SupervisorClient, ClientError> {
        let http = pinned_http(base, pins)?;
        Ok(SupervisorClient {
            base: base.trim_end_matches('/').to_string(),
            http,
            token: token.to_string(),
        })
    }

    /// The session's bearer token (secret: valid for 12 hours).
    pub fn token(&self) -> &str {
        &self.token
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        answer(
            self.http
                .get(format!("{}{path}", self.base))
                .bearer_auth(&self.token)
                .send()
                .await,
        )
        .await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<T, ClientError> {
        answer(
            self.http
                .post(format!("{}{path}", self.base))
                .bearer_auth(&self.token)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await,
        )
        .await
    }

    /// A one-time enrolment code for the default centre.
    pub async fn enrolment_code(&self) -> Result<String, ClientError> {
        self.enrolment_code_for_centre("").await
    }

    /// A one-time enrolment code whose device joins `centre` (a team name
    /// such as "Mobile centre 2"; `""`: the default centre). The device then
    /// pulls the decisions on its centre's cases only. The registry refuses
    /// a name [`crate::api::supervisor::check_centre`] refuses.
    pub async fn enrolment_code_for_centre(&self, centre: &str) -> Result<String, ClientError> {
        let c: EnrolmentCode = self
            .post(
                "/v1/supervisor/enrolment-codes",
                json!({ "centre": centre }),
            )
            .await?;
        Ok(c.code)
    }

    /// Every case in the supervisor's scope with `status` (or all),
    /// oldest change first, fetched page by page.
    pub async fn cases(&self, status: Option<CaseStatus>) -> Result<Vec<CaseRow>, ClientError> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.cases_page(status, after, MAX_PAGE).await?;
            all.extend(page.cases);
            match page.next {
                Some(next) => {
                    after = Some(
                        next.parse::<CaseCursor>()
                            .map_err(|_| ClientError::Protocol)?,
                    )
                }
                None => return Ok(all),
            }
        }
    }

    /// One page of cases in the supervisor's scope, with the counts per
    /// status; `after`: the previous page's `next`.
    pub async fn cases_page(
        &self,
        status: Option<CaseStatus>,
        after: Option<CaseCursor>,
        limit: u32,
    ) -> Result<CasePageView, ClientError> {
        let mut query = format!("?limit={limit}");
        if let Some(s) = status {
            query.push_str(&format!("&status={}", s.as_str()));
        }
        if let Some(a) = after {
            query.push_str(&format!("&after={a}"));
        }
        self.get(&format!("/v1/supervisor/cases{query}")).await
    }

    pub async fn case(&self, id: Uuid, lang: &str) -> Result<CaseView, ClientError> {
        self.get(&format!("/v1/supervisor/cases/{id}?lang={lang}"))
            .await
    }

    /// `action`: review, approve, return (comment required), reject.
    pub async fn decide(
        &self,
        id: Uuid,
        action: &str,
        comment: Option<&str>,
    ) -> Result<CaseRow, ClientError> {
        self.post(
            &format!("/v1/supervisor/cases/{id}/{action}"),
            json!({ "comment": comment }),
        )
        .await
    }

    pub async fn revoke(&self, device: Uuid) -> Result<(), ClientError> {
        let _: Option<()> = self
            .post(
                &format!("/v1/supervisor/devices/{device}/revoke"),
                json!({}),
            )
            .await?;
        Ok(())
    }

    /// Every device in the supervisor's scope, fetched page by page.
    pub async fn devices(&self) -> Result<Vec<DeviceView>, ClientError> {
        let mut all = Vec::new();
        let mut offset = 0;
        loop {
            let page = self.devices_page(MAX_PAGE, offset).await?;
            all.extend(page.devices);
            match page.next_offset {
                Some(next) if next > offset => offset = next,
                _ => return Ok(all),
            }
        }
    }

    /// One page of the devices in the supervisor's scope.
    pub async fn devices_page(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<DevicePageView, ClientError> {
        self.get(&format!(
            "/v1/supervisor/devices?limit={limit}&offset={offset}"
        ))
        .await
    }

    /// The districts (and their centres) the supervisor sees.
    pub async fn districts(&self) -> Result<Vec<DistrictView>, ClientError> {
        let list: DistrictList = self.get("/v1/supervisor/districts").await?;
        Ok(list.districts)
    }

    /// Add a district (national supervisors).
    pub async fn add_district(&self, name: &str) -> Result<(), ClientError> {
        let _: Option<()> = self
            .post("/v1/supervisor/districts", json!({ "name": name }))
            .await?;
        Ok(())
    }

    /// Put a centre in a district, its cases with it (national supervisors).
    pub async fn place_centre(&self, centre: &str, district: &str) -> Result<(), ClientError> {
        let _: Option<()> = self
            .post(
                "/v1/supervisor/centres",
                json!({ "name": centre, "district": district }),
            )
            .await?;
        Ok(())
    }

    /// Publish a pack; with `signature` None the registry signs it.
    pub async fn publish_rules(
        &self,
        toml: &[u8],
        signature: Option<&[u8]>,
    ) -> Result<String, ClientError> {
        let p: Published = self
            .post(
                "/v1/supervisor/rules",
                json!({ "toml": B64.encode(toml), "signature": signature.map(|s| B64.encode(s)) }),
            )
            .await?;
        Ok(p.version)
    }

    /// Import an offline bundle; the answer is the signed receipt's bytes.
    pub async fn import_bundle(&self, bundle: &[u8]) -> Result<Vec<u8>, ClientError> {
        answer_bytes(
            self.http
                .post(format!("{}/v1/supervisor/bundles", self.base))
                .bearer_auth(&self.token)
                .header("content-type", BUNDLE_CONTENT_TYPE)
                .body(bundle.to_vec())
                .send()
                .await,
        )
        .await
    }

    /// Follow-up records, of one kind and one household when given.
    pub async fn records(
        &self,
        kind: Option<komek_core::followup::RecordKind>,
        household: Option<Uuid>,
    ) -> Result<Vec<crate::followup::RecordRow>, ClientError> {
        let mut query = Vec::new();
        if let Some(k) = kind {
            query.push(format!("kind={}", k.code()));
        }
        if let Some(h) = household {
            query.push(format!("household={h}"));
        }
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        self.get(&format!("/v1/supervisor/records{q}")).await
    }

    /// Overdue plan measures and referrals without an outcome on `date`
    /// (the registry's date when `None`).
    pub async fn followup_overview(
        &self,
        date: Option<chrono::NaiveDate>,
    ) -> Result<crate::api::records::Overview, ClientError> {
        match date {
            Some(d) => {
                self.get(&format!("/v1/supervisor/records/overview?date={d}"))
                    .await
            }
            None => self.get("/v1/supervisor/records/overview").await,
        }
    }

    /// A follow-up record, its latest version decrypted.
    pub async fn record(&self, id: Uuid) -> Result<crate::api::records::RecordView, ClientError> {
        self.get(&format!("/v1/supervisor/records/{id}")).await
    }

    /// Approve `version` of plan `id` (the latest when `None`).
    pub async fn approve_plan(
        &self,
        id: Uuid,
        version: Option<u32>,
    ) -> Result<crate::followup::RecordRow, ClientError> {
        let body = match version {
            Some(v) => serde_json::json!({ "version": v }),
            None => serde_json::json!({}),
        };
        self.post(&format!("/v1/supervisor/records/{id}/approve"), body)
            .await
    }

    /// The whole audit log (national supervisors), fetched page by page.
    pub async fn audit(&self) -> Result<Vec<AuditRow>, ClientError> {
        let mut all = Vec::new();
        let mut after = 0;
        loop {
            let page = self.audit_page(after, MAX_PAGE).await?;
            all.extend(page.rows);
            match page.next {
                Some(next) if next > after => after = next,
                _ => return Ok(all),
            }
        }
    }

    /// One page of the audit log, rows after `after`.
    pub async fn audit_page(&self, after: i64, limit: u32) -> Result<AuditPageView, ClientError> {
        self.get(&format!("/v1/supervisor/audit?after={after}&limit={limit}"))
            .await
    }

    /// Withdraw a published pack: the registry stops serving it and leaves
    /// it out of later pull pages. `version` is sent as one escaped path
    /// segment (a `/` in it cannot reach another endpoint).
    pub async fn withdraw_rules(&self, version: &str) -> Result<(), ClientError> {
        let mut url = reqwest::Url::parse(&format!("{}/v1/supervisor/rules", self.base))
            .map_err(|_| ClientError::Protocol)?;
        url.path_segments_mut()
            .map_err(|_| ClientError::Protocol)?
            .push(version)
            .push("withdraw");
        let _: Option<()> =
            answer(self.http.post(url).bearer_auth(&self.token).send().await).await?;
        Ok(())
    }

    /// End this session: the token stops working at once.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let _: Option<()> = answer(
            self.http
                .post(format!("{}/v1/supervisor/logout", self.base))
                .bearer_auth(&self.token)
                .send()
                .await,
        )
        .await?;
        Ok(())
    }
}
