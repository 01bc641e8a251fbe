//! The throwaway PostgreSQL cluster for the server tests (`ikd-throwaway-postgres`, shared with
//! the server's benchmarks): initdb in a temp dir, a free port on loopback, no fsync (the data
//! dies with the run), stopped and deleted on drop; as the `postgres` user when run as root.

use ikd_throwaway_postgres::{Cluster, Error, Options};

use crate::Result;

pub fn start() -> Result<Cluster> {
    let cluster = Cluster::start(Options::fast()).map_err(|err| match err {
        Error::NotInstalled => "PostgreSQL tidak ditemukan: initdb dan pg_ctl tidak ada. \
                                Pengujian server pada PostgreSQL wajib dijalankan, jadi langkah \
                                ini gagal. Pasang dengan `apt-get install -y postgresql` \
                                (PostgreSQL not found: the server tests on PostgreSQL are \
                                required, so this step fails)"
            .to_owned(),
        other => other.to_string(),
    })?;
    eprintln!(
        "  PostgreSQL sementara siap (throwaway cluster ready): {}",
        cluster.url()
    );
    Ok(cluster)
}
