//! A district office for tests and benches: a registry on loopback with a
//! supervisor logged in, and devices enrolled with it.

use crate::device::Device;
use komek_core::sync;
use komek_registry::client::SupervisorClient;
use komek_registry::RunningRegistry;
use std::path::Path;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The supervisor every office has.
pub const SUPERVISOR: &str = "sup";
pub const PASSWORD: &str = "password123";

/// A registry with its data in `dir`/registry, serving on a free loopback
/// port, and its supervisor logged in.
pub async fn open(dir: &Path) -> Result<(RunningRegistry, SupervisorClient), Error> {
    let registry = komek_registry::start(&dir.join("registry"), "127.0.0.1:0".parse()?).await?;
    komek_registry::add_supervisor(&registry.state, SUPERVISOR, PASSWORD)?;
    let sup = login(&registry.url()).await?;
    Ok((registry, sup))
}

/// Log the office's supervisor in at `url`.
pub async fn login(url: &str) -> Result<SupervisorClient, Error> {
    Ok(SupervisorClient::login(url, SUPERVISOR, PASSWORD).await?)
}

/// A new device in `dir`, enrolled at `url` with a fresh code from `sup`.
pub async fn enrolled(
    dir: &Path,
    name: &str,
    url: &str,
    sup: &SupervisorClient,
) -> Result<Device, Error> {
    let device = Device::new(dir, name)?;
    sync::enrol(&device.store, url, &sup.enrolment_code().await?, name).await?;
    Ok(device)
}

/// [`enrolled`], with a code for `centre` (the device pulls the decisions
/// on its centre's cases only).
pub async fn enrolled_in_centre(
    dir: &Path,
    name: &str,
    url: &str,
    sup: &SupervisorClient,
    centre: &str,
) -> Result<Device, Error> {
    let device = Device::new(dir, name)?;
    let code = sup.enrolment_code_for_centre(centre).await?;
    sync::enrol(&device.store, url, &code, name).await?;
    Ok(device)
}
