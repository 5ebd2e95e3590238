//! CS003's catalogue: every call the rule knows to block, as data.
//!
//! One line per entry. A target is either a function, named by the qualified
//! name the semantic model resolves it to (`time.sleep`, `builtins.open`), or a
//! method of an object *kind* (`requests.Session`, `sqlite3.Cursor`). Kinds
//! are tracked through the values that produce them: a factory entry such as
//! `requests.Session` (a function that does not block) says its call returns a
//! `requests.Session`; `sqlite3.connect` blocks *and* returns a
//! `sqlite3.Connection`, whose `cursor` method returns a `sqlite3.Cursor`.
//!
//! Adding an entry is adding a line. `instead` is what the finding's message
//! recommends; `fix` is the rewrite the rule offers (see [`Fix`]).

/// What a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A function or class, by qualified name.
    Function(&'static str),
    /// A method of an object kind.
    Method {
        kind: &'static str,
        name: &'static str,
    },
}

/// The rewrite offered for a blocking call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// `time.sleep(x)` -> `await asyncio.sleep(x)` (safe).
    Sleep,
    /// `f(args)` -> `await asyncio.to_thread(f, args)` (unsafe).
    Thread,
    /// No rewrite: moving the call to another thread would break it
    /// (`sqlite3` objects refuse to be used from a thread other than the one
    /// that created them) or would not help (the blocking happens later).
    None,
}

#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub target: Target,
    /// Calling it blocks the thread.
    pub blocks: bool,
    /// The kind of object the call returns, when the catalogue knows methods
    /// of it.
    pub returns: Option<&'static str>,
    pub instead: &'static str,
    pub fix: Fix,
}

impl Entry {
    /// The name shown in messages: `time.sleep`, `open`, `requests.Session.get`.
    pub fn display(&self) -> String {
        match self.target {
            Target::Function(name) => name.strip_prefix("builtins.").unwrap_or(name).to_string(),
            Target::Method { kind, name } => format!("{kind}.{name}"),
        }
    }
}

/// A blocking function.
const fn f(name: &'static str, instead: &'static str, fix: Fix) -> Entry {
    Entry {
        target: Target::Function(name),
        blocks: true,
        returns: None,
        instead,
        fix,
    }
}

/// A blocking function returning an object of a known kind.
const fn fr(name: &'static str, returns: &'static str, instead: &'static str, fix: Fix) -> Entry {
    Entry {
        target: Target::Function(name),
        blocks: true,
        returns: Some(returns),
        instead,
        fix,
    }
}

/// A function (or class) that does not block but returns an object of a known kind.
const fn factory(name: &'static str, returns: &'static str) -> Entry {
    Entry {
        target: Target::Function(name),
        blocks: false,
        returns: Some(returns),
        instead: "",
        fix: Fix::None,
    }
}

/// A blocking method.
const fn m(kind: &'static str, name: &'static str, instead: &'static str, fix: Fix) -> Entry {
    Entry {
        target: Target::Method { kind, name },
        blocks: true,
        returns: None,
        instead,
        fix,
    }
}

/// A blocking method returning an object of a known kind.
const fn mr(
    kind: &'static str,
    name: &'static str,
    returns: &'static str,
    instead: &'static str,
    fix: Fix,
) -> Entry {
    Entry {
        target: Target::Method { kind, name },
        blocks: true,
        returns: Some(returns),
        instead,
        fix,
    }
}

/// A method that does not block but returns an object of a known kind.
const fn mfactory(kind: &'static str, name: &'static str, returns: &'static str) -> Entry {
    Entry {
        target: Target::Method { kind, name },
        blocks: false,
        returns: Some(returns),
        instead: "",
        fix: Fix::None,
    }
}

const SLEEP: &str = "`await asyncio.sleep(...)`";
const HTTP: &str =
    "an async HTTP client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`";
const HTTPX: &str = "`httpx.AsyncClient` or `await asyncio.to_thread(...)`";
const HTTPX_STREAM: &str = "`httpx.AsyncClient.stream` with `async with`";
const PG: &str =
    "an async driver (`psycopg.AsyncConnection`, `asyncpg`) or `await asyncio.to_thread(...)`";
const MYSQL: &str = "an async driver (`aiomysql`, `asyncmy`) or `await asyncio.to_thread(...)`";
const SQLITE: &str = "`aiosqlite`, or one sync function doing all the database work run with `asyncio.to_thread` (sqlite3 objects cannot change threads)";
const SUBPROCESS: &str =
    "`await asyncio.create_subprocess_exec(...)` or `create_subprocess_shell(...)`";
const PROC_WAIT: &str = "`asyncio.create_subprocess_exec(...)` and `await proc.wait()`";
const PROC_COMMUNICATE: &str =
    "`asyncio.create_subprocess_exec(...)` and `await proc.communicate()`";
const FILE: &str = "`await asyncio.to_thread(...)` (or `aiofiles`)";
const INPUT: &str = "`await asyncio.to_thread(input, ...)`";

use Fix::{None as N, Sleep as S, Thread as T};

#[rustfmt::skip]
pub const CATALOGUE: &[Entry] = &[
    // Sleeping.
    f("time.sleep", SLEEP, S),
    // HTTP: requests.
    f("requests.get", HTTP, T),
    f("requests.post", HTTP, T),
    f("requests.put", HTTP, T),
    f("requests.patch", HTTP, T),
    f("requests.delete", HTTP, T),
    f("requests.head", HTTP, T),
    f("requests.options", HTTP, T),
    f("requests.request", HTTP, T),
    factory("requests.Session", "requests.Session"),
    factory("requests.session", "requests.Session"),
    m("requests.Session", "get", HTTP, T),
    m("requests.Session", "post", HTTP, T),
    m("requests.Session", "put", HTTP, T),
    m("requests.Session", "patch", HTTP, T),
    m("requests.Session", "delete", HTTP, T),
    m("requests.Session", "head", HTTP, T),
    m("requests.Session", "options", HTTP, T),
    m("requests.Session", "request", HTTP, T),
    m("requests.Session", "send", HTTP, T),
    // HTTP: urllib and http.client.
    f("urllib.request.urlopen", HTTP, T),
    f("urllib.request.urlretrieve", HTTP, T),
    factory("http.client.HTTPConnection", "http.client.HTTPConnection"),
    factory("http.client.HTTPSConnection", "http.client.HTTPConnection"),
    m("http.client.HTTPConnection", "connect", HTTP, T),
    m("http.client.HTTPConnection", "request", HTTP, T),
    m("http.client.HTTPConnection", "getresponse", HTTP, T),
    // HTTP: urllib3.
    f("urllib3.request", HTTP, T),
    factory("urllib3.PoolManager", "urllib3.PoolManager"),
    factory("urllib3.ProxyManager", "urllib3.PoolManager"),
    factory("urllib3.HTTPConnectionPool", "urllib3.PoolManager"),
    factory("urllib3.HTTPSConnectionPool", "urllib3.PoolManager"),
    factory("urllib3.connection_from_url", "urllib3.PoolManager"),
    m("urllib3.PoolManager", "request", HTTP, T),
    m("urllib3.PoolManager", "urlopen", HTTP, T),
    m("urllib3.PoolManager", "request_encode_url", HTTP, T),
    m("urllib3.PoolManager", "request_encode_body", HTTP, T),
    // HTTP: httpx's sync API.
    f("httpx.get", HTTPX, T),
    f("httpx.post", HTTPX, T),
    f("httpx.put", HTTPX, T),
    f("httpx.patch", HTTPX, T),
    f("httpx.delete", HTTPX, T),
    f("httpx.head", HTTPX, T),
    f("httpx.options", HTTPX, T),
    f("httpx.request", HTTPX, T),
    f("httpx.stream", HTTPX_STREAM, N),
    factory("httpx.Client", "httpx.Client"),
    m("httpx.Client", "get", HTTPX, T),
    m("httpx.Client", "post", HTTPX, T),
    m("httpx.Client", "put", HTTPX, T),
    m("httpx.Client", "patch", HTTPX, T),
    m("httpx.Client", "delete", HTTPX, T),
    m("httpx.Client", "head", HTTPX, T),
    m("httpx.Client", "options", HTTPX, T),
    m("httpx.Client", "request", HTTPX, T),
    m("httpx.Client", "send", HTTPX, T),
    m("httpx.Client", "stream", HTTPX_STREAM, N),
    // Databases: PostgreSQL.
    fr("psycopg2.connect", "psycopg2.connection", PG, T),
    mfactory("psycopg2.connection", "cursor", "psycopg2.cursor"),
    m("psycopg2.connection", "commit", PG, T),
    m("psycopg2.connection", "rollback", PG, T),
    m("psycopg2.cursor", "execute", PG, T),
    m("psycopg2.cursor", "executemany", PG, T),
    m("psycopg2.cursor", "callproc", PG, T),
    m("psycopg2.cursor", "fetchone", PG, T),
    m("psycopg2.cursor", "fetchmany", PG, T),
    m("psycopg2.cursor", "fetchall", PG, T),
    fr("psycopg.connect", "psycopg.Connection", PG, T),
    fr("psycopg.Connection.connect", "psycopg.Connection", PG, T),
    mfactory("psycopg.Connection", "cursor", "psycopg.Cursor"),
    mr("psycopg.Connection", "execute", "psycopg.Cursor", PG, T),
    m("psycopg.Connection", "commit", PG, T),
    m("psycopg.Connection", "rollback", PG, T),
    m("psycopg.Cursor", "execute", PG, T),
    m("psycopg.Cursor", "executemany", PG, T),
    m("psycopg.Cursor", "fetchone", PG, T),
    m("psycopg.Cursor", "fetchmany", PG, T),
    m("psycopg.Cursor", "fetchall", PG, T),
    // Databases: MySQL.
    fr("pymysql.connect", "pymysql.Connection", MYSQL, T),
    mfactory("pymysql.Connection", "cursor", "pymysql.Cursor"),
    m("pymysql.Connection", "commit", MYSQL, T),
    m("pymysql.Connection", "rollback", MYSQL, T),
    m("pymysql.Connection", "query", MYSQL, T),
    m("pymysql.Cursor", "execute", MYSQL, T),
    m("pymysql.Cursor", "executemany", MYSQL, T),
    m("pymysql.Cursor", "callproc", MYSQL, T),
    m("pymysql.Cursor", "fetchone", MYSQL, T),
    m("pymysql.Cursor", "fetchmany", MYSQL, T),
    m("pymysql.Cursor", "fetchall", MYSQL, T),
    fr("MySQLdb.connect", "MySQLdb.Connection", MYSQL, T),
    mfactory("MySQLdb.Connection", "cursor", "MySQLdb.Cursor"),
    m("MySQLdb.Connection", "commit", MYSQL, T),
    m("MySQLdb.Connection", "rollback", MYSQL, T),
    m("MySQLdb.Connection", "query", MYSQL, T),
    m("MySQLdb.Cursor", "execute", MYSQL, T),
    m("MySQLdb.Cursor", "executemany", MYSQL, T),
    m("MySQLdb.Cursor", "callproc", MYSQL, T),
    m("MySQLdb.Cursor", "fetchone", MYSQL, T),
    m("MySQLdb.Cursor", "fetchmany", MYSQL, T),
    m("MySQLdb.Cursor", "fetchall", MYSQL, T),
    // Databases: SQLite (thread-affine: no thread fix).
    fr("sqlite3.connect", "sqlite3.Connection", SQLITE, N),
    mfactory("sqlite3.Connection", "cursor", "sqlite3.Cursor"),
    mr("sqlite3.Connection", "execute", "sqlite3.Cursor", SQLITE, N),
    mr("sqlite3.Connection", "executemany", "sqlite3.Cursor", SQLITE, N),
    mr("sqlite3.Connection", "executescript", "sqlite3.Cursor", SQLITE, N),
    m("sqlite3.Connection", "commit", SQLITE, N),
    m("sqlite3.Connection", "rollback", SQLITE, N),
    m("sqlite3.Cursor", "execute", SQLITE, N),
    m("sqlite3.Cursor", "executemany", SQLITE, N),
    m("sqlite3.Cursor", "executescript", SQLITE, N),
    m("sqlite3.Cursor", "fetchone", SQLITE, N),
    m("sqlite3.Cursor", "fetchmany", SQLITE, N),
    m("sqlite3.Cursor", "fetchall", SQLITE, N),
    // Processes.
    f("subprocess.run", SUBPROCESS, T),
    f("subprocess.call", SUBPROCESS, T),
    f("subprocess.check_call", SUBPROCESS, T),
    f("subprocess.check_output", SUBPROCESS, T),
    f("subprocess.getoutput", SUBPROCESS, T),
    f("subprocess.getstatusoutput", SUBPROCESS, T),
    factory("subprocess.Popen", "subprocess.Popen"),
    m("subprocess.Popen", "wait", PROC_WAIT, T),
    m("subprocess.Popen", "communicate", PROC_COMMUNICATE, T),
    f("os.system", "`await asyncio.create_subprocess_shell(...)`", T),
    f("os.popen", "`await asyncio.create_subprocess_shell(...)` (reading the pipe blocks too)", N),
    f("os.wait", PROC_WAIT, T),
    f("os.waitpid", PROC_WAIT, T),
    f("os.wait3", PROC_WAIT, T),
    f("os.wait4", PROC_WAIT, T),
    f("os.waitid", PROC_WAIT, T),
    // Files and the console.
    f("builtins.open", FILE, T),
    f("io.open", FILE, T),
    factory("pathlib.Path", "pathlib.Path"),
    factory("pathlib.PosixPath", "pathlib.Path"),
    factory("pathlib.WindowsPath", "pathlib.Path"),
    factory("pathlib.Path.home", "pathlib.Path"),
    factory("pathlib.Path.cwd", "pathlib.Path"),
    mfactory("pathlib.Path", "joinpath", "pathlib.Path"),
    mfactory("pathlib.Path", "with_name", "pathlib.Path"),
    mfactory("pathlib.Path", "with_suffix", "pathlib.Path"),
    mfactory("pathlib.Path", "with_stem", "pathlib.Path"),
    mfactory("pathlib.Path", "expanduser", "pathlib.Path"),
    mfactory("pathlib.Path", "absolute", "pathlib.Path"),
    m("pathlib.Path", "open", FILE, T),
    m("pathlib.Path", "read_text", FILE, T),
    m("pathlib.Path", "read_bytes", FILE, T),
    m("pathlib.Path", "write_text", FILE, T),
    m("pathlib.Path", "write_bytes", FILE, T),
    f("builtins.input", INPUT, T),
];

type Index = (
    rustc_hash::FxHashMap<&'static str, &'static Entry>,
    rustc_hash::FxHashMap<(&'static str, &'static str), &'static Entry>,
);

/// Functions by qualified name and methods by (kind, name), for lookups by
/// hash (built on first use).
static INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(|| {
    let mut index = Index::default();
    for entry in CATALOGUE {
        match entry.target {
            Target::Function(name) => index.0.insert(name, entry),
            Target::Method { kind, name } => index.1.insert((kind, name), entry),
        };
    }
    index
});

/// The entry for a function or class, by qualified name.
pub fn function(qualified: &str) -> Option<&'static Entry> {
    INDEX.0.get(qualified).copied()
}

/// The entry for a method of an object kind.
pub fn method(kind: &str, name: &str) -> Option<&'static Entry> {
    // The map is covariant in its keys: look up with borrowed strings.
    let methods: &rustc_hash::FxHashMap<(&str, &str), &'static Entry> = &INDEX.1;
    methods.get(&(kind, name)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_unique() {
        for (i, a) in CATALOGUE.iter().enumerate() {
            for b in &CATALOGUE[i + 1..] {
                assert_ne!(a.target, b.target, "duplicate catalogue entry");
            }
        }
    }

    #[test]
    fn method_kinds_are_produced_somewhere() {
        // A kind no entry returns could never be matched.
        for entry in CATALOGUE {
            if let Target::Method { kind, .. } = entry.target {
                assert!(
                    CATALOGUE.iter().any(|e| e.returns == Some(kind)),
                    "nothing returns a `{kind}`"
                );
            }
        }
    }

    #[test]
    fn blocking_entries_say_what_to_use_instead() {
        for entry in CATALOGUE.iter().filter(|e| e.blocks) {
            assert!(!entry.instead.is_empty(), "{}", entry.display());
        }
        for entry in CATALOGUE.iter().filter(|e| !e.blocks) {
            assert!(entry.returns.is_some(), "{} does nothing", entry.display());
        }
    }
}
