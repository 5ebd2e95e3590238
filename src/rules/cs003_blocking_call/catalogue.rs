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

use crate::semantic::names::{NameMap, QualifiedName};

/// What a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A function or class, by qualified name.
    Function(&'static str),
    /// A method of an object kind. The name `*` stands for every public
    /// method the catalogue does not list otherwise.
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
    /// that created them, a prompt no longer answers Ctrl-C) or would not
    /// help (the blocking happens later, when a generator is iterated).
    None,
}

/// When a call of the entry blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// Only with one of these keyword arguments
    /// (`ssl.create_default_context(cafile=...)` reads a file).
    Keyword(&'static [&'static str]),
    /// Only as a `with` item (`tempfile.TemporaryDirectory`, whose exit
    /// deletes a tree; `os.fdopen`, whose block does the file's work).
    WithItem,
    /// Unless told not to wait: `block=False` (or `False` first) or a
    /// `timeout` (`queue.Queue.get`).
    MayWait,
    /// Unless the module makes its sockets non-blocking (`setblocking(False)`).
    BlockingSocket,
    /// Unless given a zero timeout (`thread.join(timeout=0)` returns at once).
    NonZeroTimeout,
    /// Unless the name looked up is the local host or an address literal
    /// (`gethostbyname("localhost")`, or a name the enclosing `if` just
    /// compared equal to one): that answer comes from the hosts file, with
    /// no network round trip. Nor when the lookup's `flags` include
    /// `AI_NUMERICHOST` (spelled out or through a name bound to such flags):
    /// the host must then be an address, which is parsed, never resolved.
    RemoteName,
}

/// Which rule reports the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// CS003: work that takes long (I/O, sleeping, processes).
    Blocking,
    /// CS006: a single filesystem metadata call (`os.path.exists`,
    /// `Path.stat`), off by default.
    Metadata,
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
    pub when: When,
    pub family: Family,
}

impl Entry {
    /// The name shown in messages: `time.sleep`, `open`, `requests.Session.get`.
    pub fn display(&self) -> String {
        match self.target {
            Target::Function(name) => name.strip_prefix("builtins.").unwrap_or(name).to_string(),
            Target::Method { kind, name } => format!("{kind}.{name}"),
        }
    }

    /// The same entry, returning an object of `kind`.
    const fn ret(self, kind: &'static str) -> Entry {
        Entry {
            returns: Some(kind),
            ..self
        }
    }

    /// The same entry, blocking only `when`.
    const fn when(self, when: When) -> Entry {
        Entry { when, ..self }
    }

    /// The same entry, reported by CS006.
    const fn meta(self) -> Entry {
        Entry {
            family: Family::Metadata,
            ..self
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
        when: When::Always,
        family: Family::Blocking,
    }
}

/// A blocking function returning an object of a known kind.
const fn fr(name: &'static str, returns: &'static str, instead: &'static str, fix: Fix) -> Entry {
    f(name, instead, fix).ret(returns)
}

/// A function (or class) that does not block but returns an object of a
/// known kind (also what an annotation naming the class means).
const fn factory(name: &'static str, returns: &'static str) -> Entry {
    Entry {
        target: Target::Function(name),
        blocks: false,
        returns: Some(returns),
        instead: "",
        fix: Fix::None,
        when: When::Always,
        family: Family::Blocking,
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
        when: When::Always,
        family: Family::Blocking,
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
    m(kind, name, instead, fix).ret(returns)
}

/// A method that does not block but returns an object of a known kind.
const fn mfactory(kind: &'static str, name: &'static str, returns: &'static str) -> Entry {
    Entry {
        target: Target::Method { kind, name },
        blocks: false,
        returns: Some(returns),
        instead: "",
        fix: Fix::None,
        when: When::Always,
        family: Family::Blocking,
    }
}

/// A method that does not block, excepted from a `*` entry of its kind.
const fn quick(kind: &'static str, name: &'static str) -> Entry {
    Entry {
        target: Target::Method { kind, name },
        blocks: false,
        returns: None,
        instead: "",
        fix: Fix::None,
        when: When::Always,
        family: Family::Blocking,
    }
}

/// A filesystem metadata function (CS006).
const fn meta(name: &'static str) -> Entry {
    f(name, META, Fix::Thread).meta()
}

/// A filesystem metadata method (CS006).
const fn mmeta(kind: &'static str, name: &'static str) -> Entry {
    m(kind, name, META, Fix::Thread).meta()
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
const FILE: &str =
    "`await asyncio.to_thread(...)` on a function doing all the file work (or `aiofiles`)";
const FILE_METHOD: &str = "one sync function doing all the file work, run with `await asyncio.to_thread(...)` (or `aiofiles`)";
const TREE: &str = "`await asyncio.to_thread(...)`";
const WALK: &str = "a sync function doing the whole walk, run with `await asyncio.to_thread(...)`";
const TEMPDIR: &str = "a sync function doing the work in the directory, run with `await asyncio.to_thread(...)` (leaving the block deletes the tree)";
const SSL: &str = "`await asyncio.to_thread(...)` (or build the context once, at startup)";
const JOIN: &str = "`await asyncio.to_thread(thread.join)`";
const QUEUE: &str = "`asyncio.Queue`, `queue.get_nowait()`, or `await asyncio.to_thread(...)`";
const SOCKET: &str = "`asyncio.open_connection(...)` or the loop's `sock_*` methods";
const DNS: &str = "`await loop.getaddrinfo(...)` or `await asyncio.to_thread(...)`";
pub const INPUT: &str =
    "a prompt before the event loop starts (in a thread, a prompt no longer answers Ctrl-C)";
const META: &str = "`await asyncio.to_thread(...)` (or `aiofiles.os`)";

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
    factory("requests.sessions.Session", "requests.Session"),
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
    // Every other public method of a pool talks to the network too, but
    // finding a pool or closing its sockets does not wait.
    m("urllib3.PoolManager", "*", HTTP, T),
    quick("urllib3.PoolManager", "connection_from_url"),
    quick("urllib3.PoolManager", "connection_from_host"),
    quick("urllib3.PoolManager", "connection_from_context"),
    quick("urllib3.PoolManager", "connection_from_pool_key"),
    quick("urllib3.PoolManager", "clear"),
    quick("urllib3.PoolManager", "close"),
    factory("urllib3.connectionpool.ConnectionPool", "urllib3.PoolManager"),
    factory("urllib3.connectionpool.HTTPConnectionPool", "urllib3.PoolManager"),
    factory("urllib3.connectionpool.HTTPSConnectionPool", "urllib3.PoolManager"),
    factory("urllib3.poolmanager.PoolManager", "urllib3.PoolManager"),
    factory("urllib3.poolmanager.ProxyManager", "urllib3.PoolManager"),
    factory("urllib3.request.RequestMethods", "urllib3.PoolManager"),
    factory("urllib3._request_methods.RequestMethods", "urllib3.PoolManager"),
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
    m("httpx.Client", "close", HTTPX, T),
    factory("httpx._client.Client", "httpx.Client"),
    // httpx2, the maintained continuation of httpx, has the same API.
    f("httpx2.get", HTTPX, T),
    f("httpx2.post", HTTPX, T),
    f("httpx2.put", HTTPX, T),
    f("httpx2.patch", HTTPX, T),
    f("httpx2.delete", HTTPX, T),
    f("httpx2.head", HTTPX, T),
    f("httpx2.options", HTTPX, T),
    f("httpx2.request", HTTPX, T),
    f("httpx2.stream", HTTPX_STREAM, N),
    factory("httpx2.Client", "httpx.Client"),
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
    fr("subprocess.Popen", "subprocess.Popen", SUBPROCESS, T),
    m("subprocess.Popen", "wait", PROC_WAIT, T),
    m("subprocess.Popen", "communicate", PROC_COMMUNICATE, T),
    f("os.system", "`await asyncio.create_subprocess_shell(...)`", T),
    f("os.popen", "`await asyncio.create_subprocess_shell(...)` (reading the pipe blocks too)", N),
    f("os.spawnl", SUBPROCESS, T),
    f("os.spawnle", SUBPROCESS, T),
    f("os.spawnlp", SUBPROCESS, T),
    f("os.spawnlpe", SUBPROCESS, T),
    f("os.spawnv", SUBPROCESS, T),
    f("os.spawnve", SUBPROCESS, T),
    f("os.spawnvp", SUBPROCESS, T),
    f("os.spawnvpe", SUBPROCESS, T),
    f("os.posix_spawn", SUBPROCESS, T),
    f("os.posix_spawnp", SUBPROCESS, T),
    f("os.wait", PROC_WAIT, T),
    f("os.waitpid", PROC_WAIT, T),
    f("os.wait3", PROC_WAIT, T),
    f("os.wait4", PROC_WAIT, T),
    f("os.waitid", PROC_WAIT, T),
    // Files: opening, and the methods of the file objects opened (or
    // annotated `TextIOWrapper`, `BufferedReader`...). Not `typing.IO`,
    // `TextIO` or `BinaryIO`: those say "any stream", and the streams a
    // library is handed are as often in memory (`io.BytesIO`, the default
    // of aiogram's and python-telegram-bot's download destinations), where
    // reading and writing do not block.
    fr("builtins.open", "file", FILE, T),
    fr("io.open", "file", FILE, T),
    fr("io.open_code", "file", FILE, T),
    // `os.fdopen(fd)` wraps a descriptor already open: it resolves no path
    // and reads nothing. Entered by `with`, the file lives and dies in the
    // block, so the block is where its work is done, and the call stands
    // for that work (the fix moves the block). Otherwise it is only a
    // factory: the reads and writes made on the file here are reported
    // where they are made, and a file handed on (returned, stored, given
    // to a reader object or to `connect_read_pipe`) is worked elsewhere.
    fr("os.fdopen", "file", FILE, T).when(When::WithItem),
    fr("codecs.open", "file", FILE, T),
    fr("gzip.open", "file", FILE, T),
    fr("bz2.open", "file", FILE, T),
    fr("lzma.open", "file", FILE, T),
    fr("io.FileIO", "file", FILE, T),
    factory("io.TextIOWrapper", "file"),
    factory("io.BufferedReader", "file"),
    factory("io.BufferedWriter", "file"),
    factory("io.BufferedRandom", "file"),
    factory("io.BufferedRWPair", "file"),
    factory("_io.TextIOWrapper", "file"),
    m("file", "read", FILE_METHOD, T),
    m("file", "read1", FILE_METHOD, T),
    m("file", "readinto", FILE_METHOD, T),
    m("file", "readline", FILE_METHOD, T),
    m("file", "readlines", FILE_METHOD, T),
    m("file", "write", FILE_METHOD, T),
    m("file", "writelines", FILE_METHOD, T),
    m("file", "flush", FILE_METHOD, T),
    m("file", "truncate", FILE_METHOD, T),
    m("file", "close", FILE_METHOD, T),
    factory("pathlib.Path", "pathlib.Path"),
    factory("pathlib.PosixPath", "pathlib.Path"),
    factory("pathlib.WindowsPath", "pathlib.Path"),
    factory("pathlib.Path.home", "pathlib.Path"),
    factory("pathlib.Path.cwd", "pathlib.Path"),
    factory("anyio.Path", "anyio.Path"),
    mfactory("pathlib.Path", "joinpath", "pathlib.Path"),
    mfactory("pathlib.Path", "with_name", "pathlib.Path"),
    mfactory("pathlib.Path", "with_suffix", "pathlib.Path"),
    mfactory("pathlib.Path", "with_stem", "pathlib.Path"),
    mfactory("pathlib.Path", "expanduser", "pathlib.Path"),
    mfactory("pathlib.Path", "absolute", "pathlib.Path"),
    mfactory("pathlib.Path", "relative_to", "pathlib.Path"),
    mr("pathlib.Path", "open", "file", FILE, T),
    m("pathlib.Path", "read_text", FILE, T),
    m("pathlib.Path", "read_bytes", FILE, T),
    m("pathlib.Path", "write_text", FILE, T),
    m("pathlib.Path", "write_bytes", FILE, T),
    // Directory trees: copying, moving, deleting, archiving, walking.
    f("shutil.copytree", TREE, T),
    f("shutil.rmtree", TREE, T),
    f("shutil.move", TREE, T),
    f("shutil.copy", TREE, T),
    f("shutil.copy2", TREE, T),
    f("shutil.copyfile", TREE, T),
    f("shutil.copyfileobj", TREE, T),
    f("shutil.make_archive", TREE, T),
    f("shutil.unpack_archive", TREE, T),
    f("os.walk", WALK, N),
    f("os.fwalk", WALK, N),
    f("os.scandir", WALK, N),
    f("os.listdir", WALK, T),
    f("glob.glob", WALK, T),
    f("glob.iglob", WALK, N),
    m("pathlib.Path", "rglob", WALK, N),
    m("pathlib.Path", "glob", WALK, N),
    m("pathlib.Path", "iterdir", WALK, N),
    m("pathlib.Path", "walk", WALK, N),
    fr("tempfile.TemporaryDirectory", "tempfile.TemporaryDirectory", TEMPDIR, N).when(When::WithItem),
    m("tempfile.TemporaryDirectory", "cleanup", TREE, T),
    // TLS contexts that read certificate files.
    fr("ssl.create_default_context", "ssl.SSLContext", SSL, T)
        .when(When::Keyword(&["cafile", "capath", "cadata"])),
    factory("ssl.SSLContext", "ssl.SSLContext"),
    m("ssl.SSLContext", "load_verify_locations", SSL, T),
    m("ssl.SSLContext", "load_cert_chain", SSL, T),
    m("ssl.SSLContext", "load_default_certs", SSL, T),
    m("ssl.SSLContext", "set_default_verify_paths", SSL, T),
    m("ssl.SSLContext", "load_dh_params", SSL, T),
    // Threads and thread queues.
    factory("threading.Thread", "threading.Thread"),
    factory("threading.Timer", "threading.Thread"),
    m("threading.Thread", "join", JOIN, T).when(When::NonZeroTimeout),
    factory("queue.Queue", "queue.Queue"),
    factory("queue.LifoQueue", "queue.Queue"),
    factory("queue.PriorityQueue", "queue.Queue"),
    factory("queue.SimpleQueue", "queue.Queue"),
    // A queue made with a maximum size: `put` waits for room.
    factory("queue.Queue(maxsize)", "queue.BoundedQueue"),
    m("queue.Queue", "get", QUEUE, T).when(When::MayWait),
    m("queue.BoundedQueue", "get", QUEUE, T).when(When::MayWait),
    m("queue.BoundedQueue", "put", QUEUE, T).when(When::MayWait),
    // Sockets and name resolution.
    factory("socket.socket", "socket.socket"),
    fr("socket.create_connection", "socket.socket", SOCKET, T),
    f("socket.getaddrinfo", DNS, T).when(When::RemoteName),
    f("socket.gethostbyname", DNS, T).when(When::RemoteName),
    f("socket.gethostbyname_ex", DNS, T).when(When::RemoteName),
    f("socket.gethostbyaddr", DNS, T).when(When::RemoteName),
    f("socket.getnameinfo", DNS, T),
    f("socket.getfqdn", DNS, T),
    m("socket.socket", "connect", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "accept", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "recv", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "recv_into", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "recvfrom", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "recvfrom_into", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "send", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "sendall", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "sendto", SOCKET, T).when(When::BlockingSocket),
    m("socket.socket", "sendfile", SOCKET, T).when(When::BlockingSocket),
    // The console: a prompt in a thread no longer answers Ctrl-C.
    f("builtins.input", INPUT, N),
    f("getpass.getpass", INPUT, N),
    // CS006: filesystem metadata, one system call each.
    meta("os.path.exists"),
    meta("os.path.lexists"),
    meta("os.path.isfile"),
    meta("os.path.isdir"),
    meta("os.path.islink"),
    meta("os.path.ismount"),
    meta("os.path.isjunction"),
    meta("os.path.getsize"),
    meta("os.path.getmtime"),
    meta("os.path.getatime"),
    meta("os.path.getctime"),
    meta("os.path.samefile"),
    meta("os.path.sameopenfile"),
    meta("os.path.realpath"),
    meta("os.stat"),
    meta("os.lstat"),
    meta("os.statvfs"),
    meta("os.access"),
    meta("os.mkdir"),
    meta("os.makedirs"),
    meta("os.remove"),
    meta("os.unlink"),
    meta("os.rmdir"),
    meta("os.removedirs"),
    meta("os.rename"),
    meta("os.renames"),
    meta("os.replace"),
    meta("os.chmod"),
    meta("os.chown"),
    meta("os.utime"),
    meta("os.readlink"),
    meta("os.symlink"),
    meta("os.link"),
    meta("shutil.disk_usage"),
    meta("shutil.which"),
    meta("shutil.chown"),
    meta("shutil.copymode"),
    meta("shutil.copystat"),
    mmeta("pathlib.Path", "exists"),
    mmeta("pathlib.Path", "is_file"),
    mmeta("pathlib.Path", "is_dir"),
    mmeta("pathlib.Path", "is_symlink"),
    mmeta("pathlib.Path", "is_mount"),
    mmeta("pathlib.Path", "is_socket"),
    mmeta("pathlib.Path", "is_fifo"),
    mmeta("pathlib.Path", "is_block_device"),
    mmeta("pathlib.Path", "is_char_device"),
    mmeta("pathlib.Path", "stat"),
    mmeta("pathlib.Path", "lstat"),
    mmeta("pathlib.Path", "owner"),
    mmeta("pathlib.Path", "group"),
    mmeta("pathlib.Path", "samefile"),
    mmeta("pathlib.Path", "readlink"),
    mmeta("pathlib.Path", "mkdir"),
    mmeta("pathlib.Path", "touch"),
    mmeta("pathlib.Path", "unlink"),
    mmeta("pathlib.Path", "rmdir"),
    mmeta("pathlib.Path", "chmod"),
    mmeta("pathlib.Path", "symlink_to"),
    mmeta("pathlib.Path", "hardlink_to"),
    mmeta("pathlib.Path", "rename").ret("pathlib.Path"),
    mmeta("pathlib.Path", "replace").ret("pathlib.Path"),
    mmeta("pathlib.Path", "resolve").ret("pathlib.Path"),
];

type Index = (
    NameMap<&'static Entry>,
    rustc_hash::FxHashMap<(&'static str, &'static str), &'static Entry>,
);

/// Functions by qualified name (hashed by segments) and methods by (kind,
/// name), for lookups by hash (built on first use).
static INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(|| {
    let mut methods = rustc_hash::FxHashMap::default();
    let functions = NameMap::new(CATALOGUE.iter().filter_map(|entry| match entry.target {
        Target::Function(name) => Some((name, entry)),
        Target::Method { kind, name } => {
            methods.insert((kind, name), entry);
            None
        }
    }));
    (functions, methods)
});

/// The entry for a function or class, by the qualified name the semantic
/// model resolves.
pub fn function(qualified: &QualifiedName<'_>) -> Option<&'static Entry> {
    INDEX.0.get(qualified)
}

/// The entry for a function or class, by dotted name (a kind, a type
/// fact's name, a pseudo-entry such as `queue.Queue(maxsize)`).
pub fn function_dotted(qualified: &str) -> Option<&'static Entry> {
    INDEX.0.get_dotted(qualified)
}

/// Every function and class the catalogue names, as dotted strings.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().filter_map(|entry| match entry.target {
        Target::Function(name) => Some(name),
        Target::Method { .. } => None,
    })
}

/// The entry for a method of an object kind.
pub fn method(kind: &str, name: &str) -> Option<&'static Entry> {
    // The map is covariant in its keys: look up with borrowed strings.
    let methods: &rustc_hash::FxHashMap<(&str, &str), &'static Entry> = &INDEX.1;
    let find = |name: &str| methods.get(&(kind, name)).copied();
    find(name).or_else(|| {
        if name.starts_with('_') {
            None
        } else {
            find("*")
        }
    })
}

/// For [`crate::analysis::prefilter`]: groups of words a file must hold all
/// of (any one group) for a call of `family` to be found in it. A function
/// entry needs its module's and its own name; a method entry needs its name
/// and the words of some way to make its kind (a function returning it, or
/// a method of another kind that does, followed to a fixed point).
pub fn word_groups(family: Family) -> Vec<Vec<&'static str>> {
    use crate::analysis::prefilter::name_words;
    // kind -> the word groups that make one, none a superset of another.
    let mut makers: rustc_hash::FxHashMap<&'static str, Vec<Vec<&'static str>>> =
        rustc_hash::FxHashMap::default();
    let add = |groups: &mut Vec<Vec<&'static str>>, mut group: Vec<&'static str>| -> bool {
        group.sort_unstable();
        group.dedup();
        if groups
            .iter()
            .any(|known| known.iter().all(|w| group.contains(w)))
        {
            return false;
        }
        groups.retain(|known| !group.iter().all(|w| known.contains(w)));
        groups.push(group);
        true
    };
    for entry in CATALOGUE {
        if let (Target::Function(name), Some(kind)) = (entry.target, entry.returns) {
            add(makers.entry(kind).or_default(), name_words(name));
        }
    }
    // Each round adds a kind made by a method of a kind known to be made;
    // a group only grows, and a superset of a known group is never added.
    let mut changed = true;
    while changed {
        changed = false;
        for entry in CATALOGUE {
            let (Target::Method { kind, name }, Some(made)) = (entry.target, entry.returns) else {
                continue;
            };
            for group in makers.get(kind).cloned().unwrap_or_default() {
                let mut group = group;
                if name != "*" {
                    group.push(name);
                }
                changed |= add(makers.entry(made).or_default(), group);
            }
        }
    }
    let mut groups = Vec::new();
    for entry in CATALOGUE.iter().filter(|e| e.blocks && e.family == family) {
        match entry.target {
            Target::Function(name) => groups.push(name_words(name)),
            Target::Method { kind, name } => {
                for group in makers.get(kind).into_iter().flatten() {
                    let mut group = group.clone();
                    if name != "*" {
                        group.push(name);
                    }
                    groups.push(group);
                }
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_blocking_entry_has_word_groups() {
        let blocking = word_groups(Family::Blocking);
        let metadata = word_groups(Family::Metadata);
        assert!(blocking.contains(&vec!["time", "sleep"]));
        assert!(blocking.contains(&vec!["open"]));
        // A method of a kind made by another kind's method: both names and
        // the first maker's.
        assert!(
            blocking
                .iter()
                .any(|g| g.contains(&"sqlite3") && g.contains(&"execute")),
            "{blocking:?}"
        );
        for entry in CATALOGUE.iter().filter(|e| e.blocks) {
            let groups = match entry.family {
                Family::Blocking => &blocking,
                Family::Metadata => &metadata,
            };
            let last = match entry.target {
                Target::Function(name) => name.split('(').next().unwrap().rsplit('.').next(),
                Target::Method { name, .. } if name != "*" => Some(name),
                Target::Method { .. } => None,
            };
            if let Some(last) = last {
                assert!(
                    groups.iter().any(|g| g.contains(&last)),
                    "{}",
                    entry.display()
                );
            }
        }
    }

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
            // A non-blocking entry makes an object or excepts a method from
            // its kind's `*` entry.
            let excepts = matches!(entry.target, Target::Method { kind, .. }
                if method(kind, "*").is_some_and(|e| e.blocks));
            assert!(
                entry.returns.is_some() || excepts,
                "{} does nothing",
                entry.display()
            );
        }
    }
}
