//! The memory a run may take, read before a model is built: what the machine has available
//! (on Linux, `MemAvailable` in /proc/meminfo), or less where the run's control group limits
//! it, as a container, a batch queue or `systemd-run -p MemoryMax=6G` does (cgroup v2
//! `memory.max`, v1 `memory.limit_in_bytes`, of the run's group and every group above it): the
//! least of them. Memory the kernel can take back from the group at once (files read and no
//! longer in use, `inactive_file`) counts as free, as it does for the limit itself.
//!
//! `SUFFICIENCY_MEMORY`, a number of bytes, states the memory instead of what is read: for
//! tests, and for a machine whose memory is kept for other work. Elsewhere than Linux, and
//! where nothing can be read, no figure is found and the fixed limit applies.

use std::path::{Path, PathBuf};

/// The environment variable that states the memory a run may take, in bytes.
pub const STATED: &str = "SUFFICIENCY_MEMORY";

/// The memory a run may take, and where the figure came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memory {
    /// Bytes.
    pub bytes: u64,
    /// Where it was found, as told to the planner: `available on this machine`.
    pub found: &'static str,
}

/// The memory this run may take: [`STATED`] if set to a whole number of bytes, else the
/// least of what the machine and its control groups allow (Linux only).
#[must_use]
pub fn available() -> Option<Memory> {
    if let Some(bytes) = std::env::var(STATED).ok().and_then(|t| t.trim().parse::<u64>().ok()) {
        return Some(Memory { bytes, found: "as SUFFICIENCY_MEMORY states" });
    }
    measured()
}

#[cfg(target_os = "linux")]
fn measured() -> Option<Memory> {
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let machine = read(Path::new("/proc/meminfo"))
        .and_then(|t| mem_available(&t))
        .map(|bytes| Memory { bytes, found: "available on this machine" });
    let groups = read(Path::new("/proc/self/cgroup")).unwrap_or_default();
    let root = Path::new("/sys/fs/cgroup");
    let mut rooms = Vec::new();
    for dir in group_folders(&groups, "", root) {
        let file = |name: &str| read(&dir.join(name)).unwrap_or_default();
        rooms.extend(room_in_group(
            &file("memory.max"),
            &file("memory.current"),
            &file("memory.stat"),
            "inactive_file",
        ));
    }
    for dir in group_folders(&groups, "memory", &root.join("memory")) {
        let file = |name: &str| read(&dir.join(name)).unwrap_or_default();
        rooms.extend(room_in_group(
            &file("memory.limit_in_bytes"),
            &file("memory.usage_in_bytes"),
            &file("memory.stat"),
            "total_inactive_file",
        ));
    }
    let group =
        rooms.into_iter().min().map(|bytes| Memory { bytes, found: "left under the control group's memory limit" });
    least(machine, group)
}

#[cfg(not(target_os = "linux"))]
fn measured() -> Option<Memory> {
    None
}

/// The smaller of two figures found (a group's room wins a tie: it is the tighter bound).
#[must_use]
pub fn least(machine: Option<Memory>, group: Option<Memory>) -> Option<Memory> {
    match (machine, group) {
        (Some(m), Some(g)) => Some(if m.bytes < g.bytes { m } else { g }),
        (m, g) => m.or(g),
    }
}

/// `MemAvailable` in the text of /proc/meminfo (`MemAvailable:   23212076 kB`), in bytes.
#[must_use]
pub fn mem_available(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemAvailable:")?;
        let kb: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
        kb.checked_mul(1024)
    })
}

/// A limit no control group is really held to: cgroup v1 writes "no limit" as about 2^63.
const NO_LIMIT: u64 = 1 << 60;

/// The room left in a control group, in bytes: its limit (`limit`, the text of `memory.max`
/// or `memory.limit_in_bytes`) less its use (`usage`), the files in `stat` under
/// `inactive_key` counting as free. `None` with no limit (`max`, or v1's 2^63) or nothing read.
#[must_use]
pub fn room_in_group(limit: &str, usage: &str, stat: &str, inactive_key: &str) -> Option<u64> {
    let limit: u64 = limit.trim().parse().ok().filter(|&l| l < NO_LIMIT)?;
    let usage: u64 = usage.trim().parse().unwrap_or(0);
    let inactive = stat
        .lines()
        .find_map(|line| line.strip_prefix(inactive_key)?.strip_prefix(' ')?.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Some(limit.saturating_sub(usage.saturating_sub(inactive)))
}

/// The folders of the run's control group and of each group above it, from the text of
/// /proc/self/cgroup (`0::/user.slice/run.scope` for cgroup v2, whose `controllers` are "";
/// `4:memory:/process_api/x` for v1's "memory"), under `mount`: the group's own first. Inside a
/// container the group may be the mount itself, which is always last.
#[must_use]
pub fn group_folders(cgroup: &str, controllers: &str, mount: &Path) -> Vec<PathBuf> {
    let Some(path) = cgroup.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, names, path) = (parts.next()?, parts.next()?, parts.next()?);
        let wanted = if controllers.is_empty() { names.is_empty() } else { names.split(',').any(|n| n == controllers) };
        wanted.then_some(path)
    }) else {
        return Vec::new();
    };
    let mut folders = Vec::new();
    let mut group = Path::new(path.trim());
    loop {
        let relative = group.strip_prefix("/").unwrap_or(group);
        // A group named `..` would climb out of the mount: not followed.
        if relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
            folders.push(mount.join(relative));
        }
        match group.parent() {
            Some(parent) => group = parent,
            None => break,
        }
    }
    if folders.last().is_none_or(|f| f != mount) {
        folders.push(mount.to_path_buf());
    }
    folders
}
