use std::path::{Path, PathBuf};

use super::memory::{group_folders, least, mem_available, room_in_group};
use super::*;

fn memory(bytes: u64) -> Memory {
    Memory { bytes, found: "available on this machine" }
}

#[test]
fn a_model_with_more_arcs_than_memory_allows_is_refused_with_its_size_and_the_memory_found() {
    // tiny_model: one demand row of 4 children within reach of 2 settings: 2 arcs.
    let model = crate::testing::tiny_model();
    assert_eq!(crate::travel::estimated_arcs(&model), 2.0);
    // Two arcs take 1,060 bytes at the peak; three quarters of 1,414 bytes is 1,060.5.
    assert!(too_big(&model, Some(&memory(1_414))).is_none());
    let p = too_big(&model, Some(&memory(1_413))).expect("refused");
    assert_eq!(
        p.message,
        "1 localities and 2 settings within reach of each other make about 2 placements to weigh (about 0 MB of \
         memory): expected at most 2 with 0 MB of memory available on this machine; group localities into larger \
         areas, or shorten [policy.max_journey_minutes]"
    );
    // Where no figure is found, the fixed limit.
    assert!(too_big(&model, None).is_none());
    assert_eq!(most_arcs(None), MOST_ARCS);
}

#[test]
fn the_limit_grows_with_the_memory_found() {
    // 6 GB (a batch job's limit): three quarters at 530 bytes an arc, about 8.5 million.
    assert_eq!(most_arcs(Some(&memory(6_000_000_000))).round(), 8_490_566.0);
    assert_eq!(placements(8_490_566.0), "8.5 million");
    assert_eq!(placements(35_210.4), "35,210");
    assert_eq!(bytes(5_800_000_000.0), "5.8 GB");
    assert_eq!(bytes(120_400_000.0), "120 MB");
}

#[test]
fn mem_available_is_read_in_bytes_from_meminfo() {
    let meminfo =
        "MemTotal:       24683772 kB\nMemFree:         1234567 kB\nMemAvailable:   23212076 kB\nBuffers: 1 kB\n";
    assert_eq!(mem_available(meminfo), Some(23_212_076 * 1024));
    // An old kernel without the line, or a line not in kB: nothing found.
    assert_eq!(mem_available("MemTotal:       24683772 kB\nMemFree:         1234567 kB\n"), None);
    assert_eq!(mem_available("MemAvailable:   lots\n"), None);
    assert_eq!(mem_available("MemAvailable:   23212076 MB\n"), None);
}

#[test]
fn a_control_groups_room_is_its_limit_less_what_it_uses_but_inactive_files() {
    let stat = "anon 4000000000\nfile 900000000\nactive_file 300000000\ninactive_file 500000000\n";
    // cgroup v2, 6 GB: 2.5 GB used of which 0.5 GB inactive files: 4 GB left.
    assert_eq!(room_in_group("6000000000\n", "2500000000\n", stat, "inactive_file"), Some(4_000_000_000));
    // No limit: `max` (v2) or v1's 2^63 less a page.
    assert_eq!(room_in_group("max\n", "2500000000\n", stat, "inactive_file"), None);
    assert_eq!(room_in_group("9223372036854771712\n", "2009104384\n", "", "total_inactive_file"), None);
    // v1: the hierarchical count of inactive files; nothing read, nothing found.
    let v1 = "inactive_file 1\ntotal_inactive_file 1000000000\n";
    assert_eq!(room_in_group("6442450944\n", "3000000000\n", v1, "total_inactive_file"), Some(4_442_450_944));
    assert_eq!(room_in_group("", "", "", "inactive_file"), None);
    // Over the limit (the kernel reclaims): no room, not an overflow.
    assert_eq!(room_in_group("1000\n", "5000\n", "", "inactive_file"), Some(0));
}

#[test]
fn a_runs_control_groups_are_its_own_and_every_one_above_it() {
    let cgroup = "12:pids:/\n4:memory,hugetlb:/process_api/bb47\n1:cpu:/\n0::/user.slice/run-u7.scope\n";
    let v2 = Path::new("/sys/fs/cgroup");
    let folders = |c: &str, n: &str, m: &Path| group_folders(c, n, m);
    assert_eq!(
        folders(cgroup, "", v2),
        [v2.join("user.slice/run-u7.scope"), v2.join("user.slice"), v2.to_path_buf()].map(PathBuf::from)
    );
    let v1 = Path::new("/sys/fs/cgroup/memory");
    assert_eq!(folders(cgroup, "memory", v1), [v1.join("process_api/bb47"), v1.join("process_api"), v1.to_path_buf()]);
    // In a container's own namespace the group is the mount; with no line, none.
    assert_eq!(folders("0::/\n", "", v2), [v2.to_path_buf()]);
    assert!(folders("4:cpu:/x\n", "memory", v1).is_empty());
    // A group named to climb out of the mount is not followed.
    assert_eq!(folders("0::/../../etc\n", "", v2), [v2.to_path_buf()]);
}

#[test]
fn the_least_figure_found_is_the_memory_a_run_may_take() {
    let group = |bytes| Memory { bytes, found: "left under the control group's memory limit" };
    assert_eq!(least(Some(memory(23_000_000_000)), Some(group(4_000_000_000))), Some(group(4_000_000_000)));
    assert_eq!(least(Some(memory(3_000_000_000)), Some(group(4_000_000_000))), Some(memory(3_000_000_000)));
    assert_eq!(least(Some(memory(3)), None), Some(memory(3)));
    assert_eq!(least(None, None), None);
}
