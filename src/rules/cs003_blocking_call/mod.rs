//! CS003: blocking calls inside `async def`.
//!
//! What blocks is data, in [`catalogue`]. This module finds the
//! calls: catalogue functions resolved through imports and aliases, methods
//! of objects whose kind is known from how they were made
//! (`s = requests.Session()`, `with conn.cursor() as cur:`), and calls of sync
//! helpers of the same module that reach a blocking call through any number
//! of other sync helpers.

pub(crate) mod alone;
pub mod catalogue;
mod fix_block;
mod fix_executor;
pub mod requests_to_aiohttp;
mod streamed;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet, VecDeque};

use ruff_diagnostics::Edit;
use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::{CodeFix, Diagnostic};
use crate::rules::ASYNC_DEF;
use crate::rules::rule::FixAvailability;
use crate::semantic::names::QualifiedNameExt;
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::types::TypeFact;
use crate::semantic::{BindingKind, ScopeId};
use catalogue::{Entry, Family, Fix, Target, When};
use requests_to_aiohttp::requests_to_aiohttp_fix;

declare_rule! {
    /// ## What it does
    /// Finds calls that block the thread made inside an `async def`. Names
    /// are resolved through imports and aliases, so
    /// `from time import sleep as pause; pause(1)`, `import httpx as h` and
    /// `from urllib import request; request.urlopen(url)` are found too.
    /// Calls inside a nested plain `def` or a `lambda` are not reported: they
    /// run wherever they are called (often `asyncio.to_thread`). Passing a
    /// blocking function to `asyncio.to_thread(time.sleep, 1)` or
    /// `loop.run_in_executor(None, requests.get, url)` is not a call of it,
    /// and a method the function also hands to a thread elsewhere
    /// (`await run_in_threadpool(self.file.read, n)` in one branch,
    /// `self.file.read(n)` in the other) is called directly on purpose.
    ///
    /// The catalogue:
    /// - sleeping: `time.sleep`;
    /// - HTTP: `requests.get/post/put/patch/delete/head/options/request` and
    ///   the same methods (plus `send`) of a `requests.Session()`;
    ///   `urllib.request.urlopen` and `urlretrieve`;
    ///   `http.client.HTTPConnection`/`HTTPSConnection` `connect`, `request`
    ///   and `getresponse`; `urllib3.request` and the `request`, `urlopen`,
    ///   `request_encode_url` and `request_encode_body` methods (and every
    ///   other public method but `connection_from_*`, `clear` and `close`)
    ///   of `urllib3.PoolManager`, `ProxyManager` and connection pools; the
    ///   sync `httpx` (and `httpx2`) functions (`httpx.get/post/.../request`,
    ///   `httpx.stream`) and the same methods (plus `send` and `close`) of an
    ///   `httpx.Client`;
    /// - databases: `psycopg2.connect`, `psycopg.connect` (and
    ///   `psycopg.Connection.connect`), `pymysql.connect`,
    ///   `MySQLdb.connect`, `sqlite3.connect`, and `execute`, `executemany`,
    ///   `executescript`, `callproc`, `query`, `fetch*` (`fetchone`,
    ///   `fetchmany`, `fetchall`), `commit` and `rollback` on the connections
    ///   and cursors obtained from them;
    /// - processes: `subprocess.run/call/check_call/check_output/getoutput/getstatusoutput`,
    ///   `subprocess.Popen` and its `wait()` and `communicate()`,
    ///   `os.system`, `os.popen`, `os.spawnl`, `os.spawnle`, `os.spawnlp`,
    ///   `os.spawnlpe`, `os.spawnv`, `os.spawnve`, `os.spawnvp`,
    ///   `os.spawnvpe`, `os.posix_spawn`, `os.posix_spawnp`, `os.wait`,
    ///   `os.waitpid`, `os.wait3`, `os.wait4`, `os.waitid`;
    /// - files: `open`, `io.open`, `io.open_code`, `io.FileIO`,
    ///   `os.fdopen` when entered by `with` (wrapping a descriptor already
    ///   open resolves no path and reads nothing: the work is the block's;
    ///   otherwise the reads and writes made on the file are what is
    ///   reported),
    ///   `codecs.open`, `gzip.open`, `bz2.open`, `lzma.open`, the
    ///   `pathlib.Path` methods `open`, `read_text`, `read_bytes`,
    ///   `write_text` and `write_bytes`, and the methods `read`, `read1`,
    ///   `readinto`, `readline`, `readlines`, `write`, `writelines`, `flush`,
    ///   `truncate` and `close` of a file object, when the function did not
    ///   open it itself (then the opening is the finding): a parameter or
    ///   variable annotated `TextIOWrapper`, `BufferedReader`..., a file
    ///   opened elsewhere in the module (not one annotated `IO`, `TextIO` or
    ///   `BinaryIO`: "any stream", as often in memory, where nothing
    ///   blocks);
    /// - directory trees: `shutil.copytree`, `rmtree`, `move`, `copy`,
    ///   `copy2`, `copyfile`, `copyfileobj`, `make_archive`,
    ///   `unpack_archive`; walks (`os.walk`, `os.fwalk`, `os.scandir`,
    ///   `os.listdir`, `glob.glob`, `glob.iglob`, and `Path.rglob`, `glob`,
    ///   `iterdir`, `walk`); `tempfile.TemporaryDirectory` entered with
    ///   `with` (leaving the block deletes the tree) and its `cleanup`;
    /// - TLS: `ssl.create_default_context` given `cafile`, `capath` or
    ///   `cadata`, and the `load_verify_locations`, `load_cert_chain`,
    ///   `load_default_certs`, `set_default_verify_paths` and
    ///   `load_dh_params` methods of an `ssl.SSLContext`;
    /// - threads: `threading.Thread.join` (not with a zero timeout), and
    ///   `get` of a `queue.Queue` (`put` too when it was made with a maximum
    ///   size) unless given `block=False` or a `timeout`;
    /// - sockets: `socket.create_connection`, name resolution
    ///   (`socket.getaddrinfo`, `gethostbyname`, `gethostbyname_ex`,
    ///   `gethostbyaddr`, `getnameinfo`, `getfqdn`; not a lookup of the
    ///   local host or of an address literal, answered without the network,
    ///   nor a `getaddrinfo` whose `flags` include `AI_NUMERICHOST`, spelled
    ///   out or through a constant: the host is then parsed as an address,
    ///   never resolved), and `connect`, `accept`,
    ///   `recv`, `recv_into`, `recvfrom`, `recvfrom_into`, `send`, `sendall`,
    ///   `sendto`, `sendfile` of a `socket.socket` (unless the module makes
    ///   its sockets non-blocking);
    /// - the console: `input`, `getpass.getpass`.
    ///
    /// Filesystem metadata calls (`os.path.exists`, `Path.stat`...) are
    /// CS006's, off by default.
    ///
    /// Methods are recognised on objects whose kind is visible: bound in the
    /// function (or at module level) from one of the calls above, by
    /// assignment or `with ... as`, called on it directly
    /// (`requests.Session().get(url)`), bound to one of them or `None`
    /// (`path = Path(p) if local else None`), annotated
    /// (`client: httpx.Client`, `Optional[...]`, `... | None`), or a `self`
    /// attribute that the class
    /// annotates or that its methods assign from such a call. Instances of a
    /// class the module derives from a catalogue class
    /// (`class Worker(threading.Thread)`) count too. A parameter named
    /// `cursor` is not assumed to be a database cursor.
    ///
    /// A sync function of the same module that performs one of these calls,
    /// directly or through other sync functions of the module (any depth,
    /// recursion included), blocks too when it is called from async code, and
    /// so does a sync method called through `self` or `cls`; the message
    /// shows the chain, such as
    /// `self.acquire_lock() -> self.wait_for_lock() -> time.sleep()`.
    /// Helpers with decorators other than `functools.cache`/`lru_cache`,
    /// `staticmethod` and `classmethod` are not followed (a decorator may
    /// turn them into anything).
    ///
    /// Not reported: coroutines that run alone on their event loop and start
    /// no concurrent work (no `gather`, `create_task`, `ensure_future`,
    /// `asyncio.wait`, task group or nursery in them or in the functions of
    /// the module they use), because nothing else is there to stall:
    /// - command callbacks of a CLI framework (Typer, Click, asyncclick,
    ///   cyclopts, rich-click), registered with one of its decorators or
    ///   with `@app.command()`/`callback()`/`group()`/`default` of an
    ///   application object the module builds (`app = cyclopts.App()`,
    ///   `app: typer.Typer`, an instance of a subclass the module defines,
    ///   a Click group function), or whose parameters declare them a
    ///   command (`Annotated[str, cyclopts.Parameter(...)]`,
    ///   `name: str = typer.Argument(...)`), wherever they are registered;
    /// - the `run` or `handle` method of a class with a base named
    ///   `...Command` (faust's `AppCommand`, Django's `BaseCommand`, cleo's
    ///   `Command`), which a command-line runner calls once, when no method
    ///   of the class starts concurrent work;
    /// - coroutines reached only from a script's entry point: run by
    ///   `asyncio.run(...)` (or `anyio.run`, `trio.run`, `uvloop.run`) or by
    ///   `loop.run_until_complete(...)` under `if __name__ == "__main__":`
    ///   or as a statement at module level (a script that runs on import,
    ///   also under a module-level `if`/`try`/`with`), in a sync `main()`,
    ///   or in a sync CLI command, through functions of the module that
    ///   nothing else refers to (each entry point on its own: one command
    ///   that gathers does not make the others' coroutines reported);
    /// - the `async def`s nested in such a coroutine that it only calls (not
    ///   decorated, not handed to anything).
    ///
    /// Only calls count as "reached" (and argparse's sub-command dispatch,
    /// `parser.set_defaults(func=run_init)`): a function handed over as a
    /// value (a handler given to `asyncio.start_server`, a route, a
    /// callback) runs whenever, and as often at once, as its new owner
    /// decides, so it is never taken to run alone, and a blocking call in it
    /// is reported.
    ///
    /// Set `report-alone-on-loop = true` under `[tool.codesight.cs003]` to
    /// report them anyway.
    ///
    /// Test code is not checked either: a file named `test_*.py`,
    /// `*_test.py` or `conftest.py`, or any file in a `tests/`, `test/` or
    /// `testing/` (a package of test helpers) folder below the project root (that of the configuration file, else
    /// the current directory). The test runner drives each test coroutine
    /// alone on its loop, and reading a fixture there stalls nothing; this
    /// is what projects running Ruff's `ASYNC` rules usually ask for with a
    /// `per-file-ignores` entry. Set `report-tests = true` under
    /// `[tool.codesight.cs003]` to check test code too.
    ///
    /// Nor are calls that are not the blocking work: an `open()` for
    /// reading whose handle nothing uses (`with open(path): return
    /// FileResponse(path)` only checks that the file exists, a metadata
    /// operation), and a `tempfile.TemporaryDirectory` entered by a `with`
    /// whose block awaits and makes blocking calls of its own: those calls
    /// are reported (and fixed) on their own lines, the directory itself is
    /// one `mkdtemp` and the removal of what the block put there, and no fix
    /// could move a block that awaits to a thread. A temporary directory
    /// whose block makes no blocking call (it awaits work that fills it, a
    /// clone, say) is still reported: leaving it deletes that whole tree.
    /// Nor is a file streamed between awaits: opened (`with open(p, "wb") as
    /// fd:` or `fd = open(p, "wb")`), then read or written only inside a
    /// loop, entered after the opening, that awaits between chunks
    /// (`async for chunk in response.content.iter_chunked(n): fd.write(chunk)`,
    /// the download aiohttp's documentation shows), and handed to nothing
    /// else. The opening is a metadata operation and each chunk a small
    /// buffered write between two waits on the network. A file written or
    /// read whole, in a loop that does not await, or passed to a call
    /// (`shutil.copyfileobj`, `json.dump`) is still reported.
    ///
    /// Nor is work that runs once, or never waits:
    /// - the branch that fills an empty cache: under `if self.x is None:`
    ///   (or `not self.x`, `not hasattr(self, "x")`, an `elif`/`else` after
    ///   `if self.x:`, the code after `if self.x is not None: return ...`),
    ///   when that code assigns `self.x` (itself or through a method of the
    ///   class that assigns it). The first call loads, later ones return
    ///   the stored value. The same for a module variable the function
    ///   declares `global`. Still reported when another method empties the
    ///   slot again (a `close()` that sets it to `None`, a `stop()` that
    ///   sets a `started` flag to `False`: the work runs again after each
    ///   reset), or when the branch does not fill it.
    ///   Likewise a call without arguments of a sync helper memoised with
    ///   `functools.cache`/`lru_cache` (`get_settings()`): its body runs on
    ///   the first call only (once per object for `self.method()`); with
    ///   arguments it runs for each new value, and is reported;
    /// - the TLS context of a server: `ssl.create_default_context` for
    ///   `ssl.Purpose.CLIENT_AUTH`, `ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)`,
    ///   and the certificates loaded into such a context. A server builds
    ///   it once, when it starts listening, and every connection reuses it.
    ///   A client's context, built on each connect, is still reported;
    /// - the small case of a size threshold: a call in one branch of an
    ///   `if`/`else` that compares a size (`len(data) < 10_000`, or any
    ///   comparison with an integer literal) whose other branch hands the
    ///   same function to an awaited call (`await offload(func, data)`,
    ///   `await asyncio.to_thread(func, data)`): the small case stays on the
    ///   loop on purpose, the large one is offloaded;
    /// - `get()` of a thread queue inside `while not q.empty():` or
    ///   `if q.qsize():`: the item is there, the call returns at once;
    /// - a console prompt (`input()`, `getpass.getpass()`, or a helper of
    ///   the module that prompts) in a module none of whose functions starts
    ///   concurrent work (`gather`, `create_task`, a task group...): it
    ///   waits for the person at the terminal, an interactive command's
    ///   question, with nothing beside it to stall. In a module that runs
    ///   tasks beside the prompt (a chat client reading `input()` while a
    ///   task receives messages) it is reported.
    ///
    /// ## Why is this bad?
    /// A coroutine shares its thread with every other coroutine on the event
    /// loop. While a blocking call waits, nothing else runs: one
    /// `time.sleep(3)` in a request handler stalls every request the worker
    /// is serving for three seconds.
    ///
    /// ## Example
    /// ```python
    /// import time
    /// import requests
    ///
    /// async def poll(url, path):
    ///     time.sleep(1)
    ///     with open(path) as f:
    ///         token = f.read().strip()
    ///     return requests.get(url, headers={"token": token}, timeout=5)
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    /// import time
    /// import requests
    ///
    /// async def poll(url, path):
    ///     await asyncio.sleep(1)
    ///
    ///     def _sync_work():
    ///         with open(path) as f:
    ///             token = f.read().strip()
    ///         return token
    ///
    ///     token = await asyncio.to_thread(_sync_work)
    ///     return await asyncio.to_thread(requests.get, url, headers={"token": token}, timeout=5)
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `time.sleep(x)` with `await asyncio.sleep(x)` is safe when
    /// the coroutine writes no state other coroutines may share after the
    /// sleep (in a loop, anywhere in the loop): the coroutine still waits `x`
    /// seconds, and only other coroutines' ability to run meanwhile changes.
    /// When it does write such state afterwards (an attribute or item of an
    /// object it did not create, such as `self.count += 1`, a module or
    /// `nonlocal` variable, an in-place change like `cache.append(x)`), the
    /// fix is unsafe: the inserted `await` lets another coroutine run in the
    /// middle of what used to be one uninterrupted step, and see or change
    /// that state half-way. `import asyncio` is added when missing.
    ///
    /// A `with` statement that opens a file (`open`, `Path.open`...) or
    /// enters a `tempfile.TemporaryDirectory`, whose body is plain sync code
    /// (no `await`, `async for`/`with`, `yield`, `return`, `break` or
    /// `continue` leaving it, `global`/`nonlocal`), moves as a whole into a
    /// nested sync function run with `await asyncio.to_thread(...)` (with a
    /// target version before Python 3.9, the loop's `run_in_executor`): the
    /// opening, every read and write, and the closing happen in the thread.
    /// The names the block binds that the coroutine may read afterwards (on
    /// any path: after an enclosing `if`/`else`, in a later iteration, from
    /// a nested function; by the model's def-use chains) are returned and
    /// assigned from the call, also when the coroutine binds them elsewhere
    /// (the call's assignment is the block's); those the block reads before
    /// binding them (`total += n`), or may leave unbound, are shared
    /// through `nonlocal` when the coroutine binds them elsewhere
    /// (`global` names stay `global`). No fix is offered when such a name
    /// has no binding outside the block, when
    /// the body awaits (the work cannot leave the loop as one piece) or
    /// contains a string spanning lines (re-indenting would change it). A
    /// file read on the spot, `json.load(open(p))` or `open(p).read()`, runs
    /// as one `lambda` in a thread; so does a chain whose receiver blocks
    /// too (`subprocess.Popen(cmd).wait()`). A file opened without `with`
    /// and read later gets no fix.
    ///
    /// Any other blocking call `f(*args, **kwargs)`, and a call of a blocking
    /// helper (`self.method(...)` included), becomes
    /// `await asyncio.to_thread(f, *args, **kwargs)` (before Python 3.9:
    /// `await loop.run_in_executor(None, f, *args)`, with
    /// `functools.partial` when there are keyword arguments). These fixes
    /// are unsafe: the work behaves the same but runs in a worker thread, so
    /// thread-affine objects (thread locals, objects that check which thread
    /// uses them) behave differently, and other coroutines now run while it
    /// waits. Where the coroutine writes shared state after the call (the
    /// test the sleep fix uses), no thread fix is offered: the inserted
    /// `await` would split what ran as one step, and a check-then-act on
    /// that state would become a race. Nor where the moved work uses state
    /// of the object that the class's coroutines change (an argument such
    /// as `self.data`, a method of the object reading it, a `with` block
    /// reading it): in a thread it would read that state while the loop
    /// changes it, and calls that ran one after another on the loop would
    /// overlap (two threads writing the same file). Nor where the moved
    /// work calls a method of the object that the module does not show: an
    /// abstract method (subclasses elsewhere implement it), or one inherited
    /// from a base class in another module. What it reads of the object,
    /// and whether coroutines change that meanwhile, cannot be seen, so the
    /// finding stays and the thread fix is left to the reader (a store's
    /// `_save()` pickling `self.serialize()`, implemented on live
    /// dictionaries by a subclass in another module). `sqlite3` connections
    /// and cursors refuse to be used from another thread, so calls on them, and `sqlite3.connect`, get no fix;
    /// neither do `httpx.stream` (the request happens when the block is
    /// entered), `os.popen` (the reads block), directory walks that return
    /// iterators (`os.walk`, `os.scandir`, `Path.rglob`...: iterating is
    /// what blocks), `input()`/`getpass()` and helpers that prompt, through
    /// any helper they call (in a thread, a prompt no longer answers Ctrl-C), and calls of generator
    /// helpers (the call runs nothing; iterating it blocks). No fix is
    /// offered inside a generator expression, where `await` would turn it
    /// into an async generator.
    ///
    /// The thread fixes use the project's own way of running sync code where
    /// it has one. In a Home Assistant integration with a Home Assistant
    /// instance in reach (a `hass` of the function, `self.hass` in a class
    /// that sets or reads it, `x.hass` the function already reads on one of
    /// its parameters such as `service.hass`) the call becomes
    /// `await hass.async_add_executor_job(f, *args)` (keyword arguments
    /// through `functools.partial`), as Home Assistant's developer docs ask.
    /// In a module that imports and uses a thread runner already
    /// (`run_sync_in_worker_thread` of prefect, `run_in_threadpool` of
    /// Starlette or FastAPI, `anyio.to_thread.run_sync`), the fixes await it
    /// (the `with` block fix too) instead of adding `asyncio.to_thread`.
    /// The new first argument takes the formatter's layout: joined to
    /// arguments hugged on a line of their own while it fits, else one
    /// argument per line; `await` gets no parentheses as the whole test of an
    /// `if` or `while`.
    ///
    /// A `requests` call (`get`, `post`, `put`, `patch`, `delete`, `head`,
    /// `options`, `request`) whose response is bound to a name and only used
    /// in ways aiohttp can spell gets a first, preferred fix (also unsafe): it
    /// becomes a request on the module's shared `aiohttp.ClientSession`, the
    /// lazily-created accessor CS004 uses (added once per module, closed by
    /// the FastAPI/Starlette lifespan or aiohttp cleanup when the module
    /// defines an app, otherwise the fix title says to call the close
    /// function at shutdown). The statements that use the response move under
    /// `async with session.get(...) as r:`, so it is released on every path:
    /// `r.json()` becomes `await r.json(content_type=None)` (`requests`
    /// parses a JSON body whatever its `Content-Type`; aiohttp refuses one
    /// served as, say, `text/plain` unless told not to check), `r.text`
    /// `await r.text()`, `r.content` `await r.read()`, `r.status_code`
    /// `r.status`; `raise_for_status()`, `headers`, `ok` and `reason` stay.
    /// `params=`, `headers=`, `json=`, `data=` and `allow_redirects=` pass
    /// through, `timeout=t` becomes
    /// `timeout=aiohttp.ClientTimeout(sock_connect=t, sock_read=t)`
    /// (`requests` bounds the connection and each read, not the whole
    /// request; a `(connect, read)` tuple maps the same way), and
    /// `verify=False` becomes `ssl=False`. A response read on the spot
    /// (`data = requests.get(url).json()`) puts the statement under
    /// `async with session.get(url) as response:`, and a discarded one
    /// becomes `async with session.post(...): pass`. It is not offered when the
    /// response escapes (returned, passed to a call, stored, read by a nested
    /// function, used after the block) or a use has no mapping
    /// (`iter_content`, `cookies`, `history`, `elapsed`, `encoding`,
    /// arguments to `json()`...), for other keyword arguments (`stream`,
    /// `auth`, `files`...), for `requests.Session` methods, or when a `try`
    /// around the call handles `requests`' exceptions; the thread fix remains.
    /// It is unsafe because aiohttp differs in details: its exceptions are
    /// `aiohttp.ClientError` and `asyncio.TimeoutError`, not `requests`'
    /// (callers catching those stop catching); `json()` returns `None` for
    /// an empty body; without a timeout aiohttp stops after five minutes
    /// where `requests` waits forever; `params` values must be strings or
    /// numbers; and the session, with its cookies and connection pool, is
    /// shared by the module. The `requests` import is left in place.
    pub struct BlockingCallInAsync {
        code: "CS003",
        name: "blocking-call-in-async",
        summary: "Blocking call inside `async def` stalls the event loop",
        fixes: FixAvailability::BOTH,
    }
}

/// A blocking call needs an `async def` to be in and, for some catalogue
/// entry, the names that resolve to it (see [`catalogue::word_groups`]).
pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &[ASYNC_DEF],
    words: Some(|| catalogue::word_groups(Family::Blocking)),
    text: None,
    project_index: false,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    check_family(checker, diagnostics, Family::Blocking);
}

/// Reports the calls of one family of the catalogue (CS003's blocking
/// calls, or CS006's metadata calls) made inside `async def`.
pub fn check_family(checker: &Checker, diagnostics: &mut Vec<Diagnostic>, family: Family) {
    // A test's coroutine is driven by the test runner, alone on its loop.
    if !checker.settings.report_tests && checker.settings.is_test_file(checker.path) {
        return;
    }
    let analysis = Analysis::new(checker);
    for (scope, def) in checker.semantic.functions() {
        if !def.is_async {
            continue;
        }
        let mut offloaded = Offloaded {
            checker,
            scope,
            callees: HashSet::new(),
        };
        checker.semantic.walk_scope(&def.body, &mut offloaded);
        let mut found = Vec::new();
        let mut finder = CallFinder {
            moved_blocks: Vec::new(),
            offloaded: offloaded.callees,
            analysis: &analysis,
            scope,
            family,
            bare_calls: rustc_hash::FxHashSet::default(),
            generators: Vec::new(),
            loops: Vec::new(),
            consumers: HashMap::new(),
            diagnostics: &mut found,
            function: def.name.id.as_str(),
            def,
        };
        checker.semantic.walk_scope(&def.body, &mut finder);
        if !found.is_empty()
            && !checker.settings.report_alone_on_loop
            && analysis.alone().contains(&scope)
        {
            continue;
        }
        diagnostics.extend(found);
    }
}

/// Why a call blocks.
enum Blocking {
    /// A catalogue entry, called directly.
    Direct(&'static Entry),
    /// A sync helper of the module (a function, or a method called through
    /// `self`/`cls`), and the chain of calls to a catalogue entry:
    /// `["load_config()", "read()", "open()"]`.
    Helper {
        name: String,
        chain: Vec<String>,
        /// No thread fix: the helper is a generator function (calling it
        /// runs nothing, so running the call in a thread would not help) or
        /// prompts on the console (a prompt in a thread ignores Ctrl-C).
        no_thread: bool,
        /// The chain ends in a console prompt.
        prompts: bool,
    },
}

/// How a sync helper reaches a blocking call.
#[derive(Clone)]
struct HelperChain {
    /// The calls from the helper to a catalogue call, as displayed (without
    /// the helper itself).
    chain: Vec<String>,
    /// No thread fix: a generator function, or a console prompt.
    no_thread: bool,
    /// The chain ends in a console prompt.
    prompts: bool,
}

/// Facts about the module shared by every function's check.
struct Analysis<'c, 'a> {
    checker: &'c Checker<'a>,
    /// For each sync helper that blocks: the chain from it to a catalogue
    /// call, as displayed (without the helper itself), and whether a thread
    /// fix is ruled out (a generator function, or a console prompt). Computed on first use (a call from async code
    /// to a function of the module), as it walks every sync function.
    helper_chains: OnceCell<HashMap<ScopeId, HelperChain>>,
    /// The coroutines alone on their event loop.
    alone: OnceCell<HashSet<ScopeId>>,
    /// Whether the module starts concurrent work anywhere.
    module_spawns: OnceCell<bool>,
}

impl<'c, 'a> Analysis<'c, 'a> {
    fn new(checker: &'c Checker<'a>) -> Self {
        Analysis {
            checker,
            helper_chains: OnceCell::new(),
            alone: OnceCell::new(),
            module_spawns: OnceCell::new(),
        }
    }

    fn helper_chains(&self) -> &HashMap<ScopeId, HelperChain> {
        self.helper_chains
            .get_or_init(|| self.compute_helper_chains())
    }

    /// Whether any function of the module starts concurrent work.
    fn module_spawns(&self) -> bool {
        *self
            .module_spawns
            .get_or_init(|| alone::module_spawns(self.checker))
    }

    fn alone(&self) -> &HashSet<ScopeId> {
        self.alone
            .get_or_init(|| alone::alone_on_loop(self.checker))
    }

    /// The kind an annotation names: `httpx.Client`, `Optional[IO[str]]`,
    /// `Path | None`, `"Path"` (the semantic model unwraps them), or a class
    /// of the module derived from a catalogue class.
    fn annotation_kind(&self, annotation: &'a Expr, scope: ScopeId) -> Option<&'static str> {
        match self
            .checker
            .semantic
            .annotation_fact(annotation, scope, 0)?
        {
            TypeFact::Qualified { name, .. } => {
                // `IO[str]`: the generic's class.
                let name = name.split('[').next().unwrap_or(&name);
                catalogue::function_dotted(name)?.returns
            }
            TypeFact::LocalInstance(class_scope) => {
                let class = self.checker.semantic.class_def(class_scope)?;
                self.class_kind(class, 0)
            }
            TypeFact::LocalClass(_) => None,
        }
    }

    /// The class a function is a method of, and its receiver parameter
    /// (`self`, `cls`), when it has one.
    fn method_of(&self, scope: ScopeId) -> Option<(&'a ast::StmtClassDef, &'a str, ScopeId)> {
        let semantic = &self.checker.semantic;
        let crate::semantic::ScopeKind::Function(def) = semantic.scope(scope).kind else {
            return None;
        };
        let class_scope = semantic.scope(scope).parent?;
        let crate::semantic::ScopeKind::Class(class) = semantic.scope(class_scope).kind else {
            return None;
        };
        let receiver = crate::semantic::instance_state::receiver_of(def)?;
        Some((class, receiver, class_scope))
    }

    /// The kind of `self.NAME` in a method, from the semantic model's
    /// attribute assignments of the class (and its same-module bases): an
    /// annotation wins; otherwise every assigned value with a known kind
    /// must agree.
    fn attribute_kind(
        &self,
        attr: &'a ast::ExprAttribute,
        scope: ScopeId,
        depth: u8,
    ) -> Option<&'static str> {
        let Expr::Name(receiver) = &*attr.value else {
            return None;
        };
        let (class, self_name, _) = self.method_of(scope)?;
        if receiver.id.as_str() != self_name {
            return None;
        }
        let semantic = &self.checker.semantic;
        if semantic
            .resolve_name(self_name, scope, receiver.start())
            .is_none_or(|b| !matches!(b.kind, BindingKind::Parameter { .. }))
        {
            return None;
        }
        for class in semantic.class_and_bases(class) {
            let Some(class_scope) = semantic.class_scope(class) else {
                continue;
            };
            let assignments = semantic.attribute_assignments(class_scope, attr.attr.id.as_str());
            if let Some(a) = assignments.iter().find(|a| a.annotation.is_some()) {
                return self.annotation_kind(a.annotation?, a.scope);
            }
            let mut kind = None;
            for value in assignments.iter().filter_map(|a| {
                a.value
                    .filter(|v| !v.is_none_literal_expr())
                    .map(|v| (v, a.scope))
            }) {
                let this = self.kind_of(value.0, value.1, depth + 1)?;
                if kind.is_some_and(|k| k != this) {
                    return None;
                }
                kind = Some(this);
            }
            if kind.is_some() {
                return kind;
            }
        }
        None
    }

    /// The kind of object an expression evaluates to, when its origin is a
    /// catalogue factory.
    fn kind_of(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> Option<&'static str> {
        if depth > 8 {
            return None;
        }
        match expr {
            Expr::Call(call) => self.returns_of(call, scope, depth),
            // `await asyncio.to_thread(f, ...)` and
            // `await loop.run_in_executor(None, f, ...)` return what `f(...)`
            // returns (so code fixed one call at a time is still checked).
            Expr::Await(ast::ExprAwait { value, .. }) => {
                let Expr::Call(call) = &**value else {
                    return None;
                };
                let args = &call.arguments.args;
                let moved = if self
                    .checker
                    .semantic
                    .resolve_qualified_name(&call.func, scope)
                    .is_some_and(|q| q.is("asyncio.to_thread"))
                {
                    args.first()
                } else if matches!(&*call.func, Expr::Attribute(attr) if attr.attr.id.as_str() == "run_in_executor")
                {
                    args.get(1)
                } else {
                    None
                }?;
                let moved = match moved {
                    Expr::Call(partial)
                        if self
                            .checker
                            .semantic
                            .resolve_qualified_name(&partial.func, scope)
                            .is_some_and(|q| q.is("functools.partial")) =>
                    {
                        partial.arguments.args.first()?
                    }
                    other => other,
                };
                self.returns_of_callee(moved, scope, depth)
            }
            Expr::Name(name) => {
                let binding =
                    self.checker
                        .semantic
                        .resolve_name(name.id.as_str(), scope, name.start())?;
                // A name bound after this use (in a loop) is not followed.
                if binding.scope == scope && binding.range.start() > name.start() {
                    return None;
                }
                // An annotation says what the name holds.
                if let Some(annotation) = binding.annotation {
                    return self.annotation_kind(annotation, binding.scope);
                }
                match binding.kind {
                    BindingKind::Assignment { value: Some(value) } => {
                        self.kind_of(value, binding.scope, depth + 1)
                    }
                    BindingKind::WithItem { .. } => {
                        let value = self.checker.semantic.with_item_value(binding)?;
                        self.kind_of(value, binding.scope, depth + 1)
                    }
                    _ => None,
                }
            }
            Expr::Attribute(attr) => {
                if attr.attr.id.as_str() == "parent" {
                    return self
                        .kind_of(&attr.value, scope, depth + 1)
                        .filter(|k| *k == "pathlib.Path");
                }
                self.attribute_kind(attr, scope, depth)
            }
            Expr::BinOp(ast::ExprBinOp {
                left,
                op: Operator::Div,
                ..
            }) => self
                .kind_of(left, scope, depth + 1)
                .filter(|k| *k == "pathlib.Path"),
            // `Path(p) if local else None`: what the value is when it is not
            // `None`; otherwise both arms must agree.
            Expr::If(ast::ExprIf { body, orelse, .. }) => {
                if orelse.is_none_literal_expr() {
                    return self.kind_of(body, scope, depth + 1);
                }
                if body.is_none_literal_expr() {
                    return self.kind_of(orelse, scope, depth + 1);
                }
                let kind = self.kind_of(body, scope, depth + 1)?;
                (self.kind_of(orelse, scope, depth + 1) == Some(kind)).then_some(kind)
            }
            _ => None,
        }
    }

    /// The kind of object calling `func` returns.
    fn returns_of(
        &self,
        call: &'a ast::ExprCall,
        scope: ScopeId,
        depth: u8,
    ) -> Option<&'static str> {
        let func = &*call.func;
        if let Some(qualified) = self.checker.semantic.resolve_qualified_name(func, scope) {
            // A queue given a maximum size is bounded: `put` waits.
            if matches!(
                qualified.segments(),
                ["queue", "Queue" | "LifoQueue" | "PriorityQueue"]
            ) && (!call.arguments.args.is_empty()
                || call.arguments.find_keyword("maxsize").is_some())
            {
                return catalogue::function_dotted("queue.Queue(maxsize)")?.returns;
            }
            if let Some(entry) = catalogue::function(&qualified) {
                return entry.returns;
            }
            return self.subclass_kind(func, scope, depth);
        }
        let Expr::Attribute(attr) = func else {
            return None;
        };
        let receiver = self.kind_of(&attr.value, scope, depth + 1)?;
        catalogue::method(receiver, attr.attr.id.as_str())?.returns
    }

    /// The kind of an instance of a class the module defines, from its first
    /// base that is a catalogue class (`class Worker(threading.Thread)`).
    fn subclass_kind(&self, func: &'a Expr, scope: ScopeId, depth: u8) -> Option<&'static str> {
        let Expr::Name(name) = func else { return None };
        let binding = self
            .checker
            .semantic
            .resolve_name(name.id.as_str(), scope, name.start())?;
        let BindingKind::ClassDef(class) = binding.kind else {
            return None;
        };
        self.class_kind(class, depth)
    }

    fn class_kind(&self, class: &'a ast::StmtClassDef, depth: u8) -> Option<&'static str> {
        if depth > 8 {
            return None;
        }
        let semantic = &self.checker.semantic;
        let outer = semantic
            .class_scope(class)
            .and_then(|s| semantic.scope(s).parent)
            .unwrap_or(ScopeId::MODULE);
        class.arguments.as_ref()?.args.iter().find_map(|base| {
            match semantic.resolve_qualified_name(base, outer) {
                Some(q) if !q.is_local() => catalogue::function(&q)?.returns,
                _ => self.subclass_kind(base, outer, depth + 1),
            }
        })
    }

    /// The kind calling `func` returns, for a callee that is not called here
    /// (`asyncio.to_thread(open, path)`).
    fn returns_of_callee(&self, func: &'a Expr, scope: ScopeId, depth: u8) -> Option<&'static str> {
        if let Some(qualified) = self.checker.semantic.resolve_qualified_name(func, scope) {
            return catalogue::function(&qualified)?.returns;
        }
        let Expr::Attribute(attr) = func else {
            return None;
        };
        let receiver = self.kind_of(&attr.value, scope, depth + 1)?;
        catalogue::method(receiver, attr.attr.id.as_str())?.returns
    }

    /// The catalogue entry a call is, when it blocks.
    fn direct(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<&'static Entry> {
        self.catalogue_call(call, scope).filter(|entry| {
            !self.not_the_work(entry, call, scope) && !self.server_tls(entry, call, scope)
        })
    }

    /// The catalogue entry a call is, when it blocks in general, whether or
    /// not it is the blocking work here.
    fn catalogue_call(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<&'static Entry> {
        let entry = if let Some(qualified) = self
            .checker
            .semantic
            .resolve_qualified_name(&call.func, scope)
        {
            catalogue::function(&qualified)
        } else if let Expr::Attribute(attr) = &*call.func {
            let kind = self.kind_of(&attr.value, scope, 0)?;
            let entry = catalogue::method(kind, attr.attr.id.as_str())?;
            // A file opened in this very function is reported where it is
            // opened; its reads and writes are part of that finding.
            if kind == "file" && self.opened_in(&attr.value, scope, 0) {
                return None;
            }
            Some(entry)
        } else {
            None
        }?;
        (entry.blocks && self.blocks_when(entry, call, scope)).then_some(entry)
    }

    /// Whether a TLS call sets up a server's context: one made for
    /// `ssl.Purpose.CLIENT_AUTH` (or as `ssl.SSLContext(PROTOCOL_TLS_SERVER)`)
    /// and the certificates loaded into it. A server builds that context
    /// once, when it starts listening, and every connection it accepts
    /// reuses it; a client's context (built per connection unless cached)
    /// stays reported.
    fn server_tls(&self, entry: &Entry, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        match entry.target {
            Target::Function(_) => self.is_server_context_factory(call, scope),
            Target::Method { .. } => {
                let Expr::Attribute(attr) = &*call.func else {
                    return false;
                };
                self.is_server_context(&attr.value, scope, 0)
            }
        }
    }

    fn is_server_context(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > 8 {
            return false;
        }
        match expr {
            Expr::Call(call) => self.is_server_context_factory(call, scope),
            Expr::Name(name) => {
                let Some(binding) =
                    self.checker
                        .semantic
                        .resolve_name(name.id.as_str(), scope, name.start())
                else {
                    return false;
                };
                match binding.kind {
                    BindingKind::Assignment { value: Some(value) } => {
                        self.is_server_context(value, binding.scope, depth + 1)
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn is_server_context_factory(&self, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        let semantic = &self.checker.semantic;
        let Some(factory) = semantic.resolve_qualified_name(&call.func, scope) else {
            return false;
        };
        let (keyword, server) = if factory.is("ssl.create_default_context") {
            ("purpose", "ssl.Purpose.CLIENT_AUTH")
        } else if factory.is("ssl.SSLContext") {
            ("protocol", "ssl.PROTOCOL_TLS_SERVER")
        } else {
            return false;
        };
        call.arguments
            .find_argument_value(keyword, 0)
            .and_then(|value| semantic.resolve_qualified_name(value, scope))
            .is_some_and(|q| q.is(server))
    }

    /// Whether a `get` is guarded by a test that its queue is not empty
    /// (`while not q.empty(): item = q.get()`, `if q.qsize(): ...`): the
    /// item is there, so the call returns at once.
    fn guarded_by_not_empty(&self, call: &'a ast::ExprCall) -> bool {
        let Expr::Attribute(attr) = &*call.func else {
            return false;
        };
        if attr.attr.id.as_str() != "get" {
            return false;
        }
        let receiver = self.checker.text(&*attr.value);
        let is_receiver_call = |expr: &Expr, method: &str| {
            matches!(expr, Expr::Call(c)
                if c.arguments.is_empty()
                    && matches!(&*c.func, Expr::Attribute(a)
                        if a.attr.id.as_str() == method && self.checker.text(&*a.value) == receiver))
        };
        let not_empty = |test: &Expr| match test {
            Expr::UnaryOp(ast::ExprUnaryOp {
                op: ast::UnaryOp::Not,
                operand,
                ..
            }) => is_receiver_call(operand, "empty"),
            Expr::Compare(compare) => {
                matches!(&compare.ops[..], [ast::CmpOp::Gt | ast::CmpOp::NotEq])
                    && is_receiver_call(&compare.left, "qsize")
                    && matches!(&compare.comparators[..], [Expr::NumberLiteral(n)] if self.checker.text(n) == "0")
            }
            other => is_receiver_call(other, "qsize"),
        };
        let statements = self.checker.semantic.statements();
        let Some(id) = statements.at(call.start()) else {
            return false;
        };
        let in_body = |body: &[Stmt]| {
            body.first().zip(body.last()).is_some_and(|(first, last)| {
                TextRange::new(first.start(), last.end()).contains_range(call.range())
            })
        };
        statements
            .ancestors(id)
            .take_while(|&a| {
                !matches!(
                    statements.info(a).stmt,
                    Stmt::FunctionDef(_) | Stmt::ClassDef(_)
                )
            })
            .any(|a| match statements.info(a).stmt {
                Stmt::If(s) => not_empty(&s.test) && in_body(&s.body),
                Stmt::While(s) => not_empty(&s.test) && in_body(&s.body),
                _ => false,
            })
    }

    /// Whether a catalogue call, although it blocks in general, is not the
    /// blocking work here:
    /// - a file opened for reading whose handle nothing uses
    ///   (`with open(path): return FileResponse(path)`): the open is an
    ///   existence or permission check, a metadata operation (CS006's kind);
    /// - a `tempfile.TemporaryDirectory` whose `with` block awaits and holds
    ///   blocking calls reported on their own: those calls are the work
    ///   (their findings and fixes point at it), no fix can move a block
    ///   that awaits to a thread, and the directory itself is one
    ///   `mkdtemp` and the removal of what the block put in it.
    fn not_the_work(&self, entry: &Entry, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        let semantic = &self.checker.semantic;
        if entry.returns == Some("file") && streamed::streamed(self.checker, call, scope) {
            return true;
        }
        let Some((with, item)) = semantic.with_item_at(call.range()) else {
            return false;
        };
        if entry.returns == Some("file") {
            let mode = call
                .arguments
                .find_keyword("mode")
                .map(|k| &k.value)
                .or_else(|| match entry.target {
                    Target::Function(_) => call.arguments.args.get(1),
                    Target::Method { .. } => call.arguments.args.first(),
                });
            let reads = match mode {
                None => true,
                Some(Expr::StringLiteral(literal)) => {
                    !literal.value.to_str().contains(['w', 'a', 'x', '+'])
                }
                Some(_) => false,
            };
            let unused = match item.optional_vars.as_deref() {
                None => true,
                Some(Expr::Name(name)) => semantic
                    .binding_spanning(name.id.as_str(), scope, name.range)
                    .is_some_and(|id| semantic.binding(id).references.is_empty()),
                Some(_) => false,
            };
            return reads && unused;
        }
        if entry.when == When::WithItem && !with.is_async {
            // Awaits first: a sync function's block never awaits, so the
            // helper summaries (which look at sync functions, and call this)
            // never ask which calls of a block block.
            let mut body = BlockBody {
                analysis: None,
                scope,
                awaits: false,
                blocks: false,
            };
            ruff_python_ast::visitor::Visitor::visit_body(&mut body, &with.body);
            if !body.awaits {
                return false;
            }
            body.analysis = Some(self);
            ruff_python_ast::visitor::Visitor::visit_body(&mut body, &with.body);
            return body.blocks;
        }
        false
    }

    /// Whether a lookup's host argument is the local host or an address
    /// literal, spelled out or tested by the enclosing `if`
    /// (`if host == "localhost": host = socket.gethostbyname(host)`).
    fn names_local_host(&self, call: &ast::ExprCall) -> bool {
        fn is_local_literal(expr: &Expr) -> bool {
            let Expr::StringLiteral(literal) = expr else {
                return false;
            };
            let value = literal.value.to_str();
            value == "localhost" || value.parse::<std::net::IpAddr>().is_ok()
        }
        let Some(host) = call
            .arguments
            .find_argument_value("host", 0)
            .or_else(|| call.arguments.find_argument_value("hostname", 0))
        else {
            return false;
        };
        if is_local_literal(host) {
            return true;
        }
        let Expr::Name(name) = host else {
            return false;
        };
        let statements = self.checker.semantic.statements();
        let Some(id) = statements.at(call.start()) else {
            return false;
        };
        statements.ancestors(id).any(|ancestor| {
            let Stmt::If(if_stmt) = statements.info(ancestor).stmt else {
                return false;
            };
            let in_body =
                if_stmt
                    .body
                    .first()
                    .zip(if_stmt.body.last())
                    .is_some_and(|(first, last)| {
                        TextRange::new(first.start(), last.end()).contains_range(call.range())
                    });
            let Expr::Compare(compare) = &*if_stmt.test else {
                return false;
            };
            in_body
                && compare.ops.len() == 1
                && matches!(compare.ops[0], ast::CmpOp::Eq)
                && [
                    (&*compare.left, &compare.comparators[0]),
                    (&compare.comparators[0], &*compare.left),
                ]
                .iter()
                .any(|(a, b)| matches!(a, Expr::Name(n) if n.id == name.id) && is_local_literal(b))
        })
    }

    /// Whether a lookup's `flags` (`socket.getaddrinfo(host, port, family,
    /// type, proto, flags)`) include `socket.AI_NUMERICHOST`, directly or
    /// through a name bound to an expression that does
    /// (`NUMERIC = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV`): the host
    /// is then parsed as an address and never resolved, so nothing waits.
    fn numeric_host(&self, call: &ast::ExprCall, scope: ScopeId) -> bool {
        fn has_numeric_host(analysis: &Analysis, expr: &Expr, scope: ScopeId, depth: u8) -> bool {
            if depth > 4 {
                return false;
            }
            let semantic = &analysis.checker.semantic;
            match expr {
                Expr::BinOp(ast::ExprBinOp {
                    left,
                    op: Operator::BitOr,
                    right,
                    ..
                }) => {
                    has_numeric_host(analysis, left, scope, depth + 1)
                        || has_numeric_host(analysis, right, scope, depth + 1)
                }
                Expr::Name(_) | Expr::Attribute(_)
                    if semantic
                        .resolve_qualified_name(expr, scope)
                        .is_some_and(|q| q.is("socket.AI_NUMERICHOST")) =>
                {
                    true
                }
                Expr::Name(name) => {
                    let Some(binding) =
                        semantic.resolve_name(name.id.as_str(), scope, name.start())
                    else {
                        return false;
                    };
                    // The name's only binding in its scope: a constant.
                    if semantic
                        .bindings_in_scope(name.id.as_str(), binding.scope)
                        .take(2)
                        .count()
                        != 1
                    {
                        return false;
                    }
                    match binding.kind {
                        BindingKind::Assignment { value: Some(value) } => {
                            has_numeric_host(analysis, value, binding.scope, depth + 1)
                        }
                        _ => false,
                    }
                }
                _ => false,
            }
        }
        let is_getaddrinfo = self
            .checker
            .semantic
            .resolve_qualified_name(&call.func, scope)
            .is_some_and(|q| q.is("socket.getaddrinfo"));
        is_getaddrinfo
            && call
                .arguments
                .find_argument_value("flags", 5)
                .is_some_and(|flags| has_numeric_host(self, flags, scope, 0))
    }

    /// Whether a call is the inline branch of a size threshold: it sits in
    /// one branch of an `if`/`else` whose test compares a size (`len(...)`
    /// or an integer literal, with `<`, `<=`, `>`, `>=`), and the other
    /// branch awaits a call handed the same function
    /// (`if len(data) < 10_000: func(data) else: await offload(func, data)`).
    /// The small case stays on the loop on purpose; the large one does not.
    fn inline_below_threshold(&self, call: &ast::ExprCall, scope: ScopeId) -> bool {
        let semantic = &self.checker.semantic;
        let statements = semantic.statements();
        let Some(id) = statements.at(call.start()) else {
            return false;
        };
        let Some(if_stmt) = statements
            .ancestors(id)
            .take_while(|&a| {
                !matches!(
                    statements.info(a).stmt,
                    Stmt::FunctionDef(_) | Stmt::ClassDef(_)
                )
            })
            .find_map(|a| match statements.info(a).stmt {
                Stmt::If(s) => Some(s),
                _ => None,
            })
        else {
            return false;
        };
        let [else_clause] = &if_stmt.elif_else_clauses[..] else {
            return false;
        };
        if else_clause.test.is_some() {
            return false;
        }
        let Expr::Compare(compare) = &*if_stmt.test else {
            return false;
        };
        let is_size = |expr: &Expr| match expr {
            Expr::NumberLiteral(n) => matches!(n.value, ast::Number::Int(_)),
            Expr::Call(c) => semantic
                .resolve_qualified_name(&c.func, scope)
                .is_some_and(|q| q.is("builtins.len")),
            _ => false,
        };
        if compare.ops.len() != 1
            || !matches!(
                compare.ops[0],
                ast::CmpOp::Lt | ast::CmpOp::LtE | ast::CmpOp::Gt | ast::CmpOp::GtE
            )
            || !(is_size(&compare.left) || is_size(&compare.comparators[0]))
        {
            return false;
        }
        let within = |body: &[Stmt]| {
            body.first().zip(body.last()).is_some_and(|(first, last)| {
                TextRange::new(first.start(), last.end()).contains_range(call.range())
            })
        };
        let other = if within(&if_stmt.body) {
            &else_clause.body
        } else if within(&else_clause.body) {
            &if_stmt.body
        } else {
            return false;
        };
        let func = self.checker.text(&*call.func);
        ruff_python_ast::helpers::any_over_body(other, |expr| {
            let Expr::Await(awaited) = expr else {
                return false;
            };
            let Expr::Call(offload) = &*awaited.value else {
                return false;
            };
            offload
                .arguments
                .args
                .iter()
                .any(|arg| self.checker.text(arg) == func)
        })
    }

    /// Whether the condition of an entry holds for a call.
    fn blocks_when(&self, entry: &Entry, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        let arguments = &call.arguments;
        match entry.when {
            When::Always => true,
            When::Keyword(names) => names.iter().any(|n| arguments.find_keyword(n).is_some()),
            When::WithItem => self
                .checker
                .semantic
                .entered_by_with(call.range(), scope, false),
            When::NonZeroTimeout => {
                let timeout = arguments
                    .find_keyword("timeout")
                    .map(|k| &k.value)
                    .or_else(|| arguments.args.first());
                !timeout.is_some_and(
                    |t| matches!(t, Expr::NumberLiteral(n) if self.checker.text(n).trim_start_matches(['0', '.']).is_empty()),
                )
            }
            When::RemoteName => !self.names_local_host(call) && !self.numeric_host(call, scope),
            When::MayWait => {
                // `get(block, timeout)`, `put(item, block, timeout)`.
                let skip = usize::from(
                    matches!(entry.target, Target::Method { name, .. } if name == "put"),
                );
                let block = arguments
                    .find_keyword("block")
                    .map(|k| &k.value)
                    .or_else(|| arguments.args.get(skip));
                let no_wait = block.is_some_and(|b| {
                    matches!(b, Expr::BooleanLiteral(l) if !l.value)
                        || matches!(b, Expr::NumberLiteral(n) if self.checker.text(n) == "0")
                });
                let timeout =
                    arguments.find_keyword("timeout").is_some() || arguments.args.len() > skip + 1;
                !no_wait && !timeout && !self.guarded_by_not_empty(call)
            }
            When::BlockingSocket => {
                let source = self.checker.source;
                !(source.contains("setblocking(False)")
                    || source.contains("setblocking(0)")
                    || source.contains("settimeout(0)"))
            }
        }
    }

    /// Whether an expression is (a name bound, in this function, to) a
    /// blocking call made in this function.
    fn opened_in(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > 8 {
            return false;
        }
        match expr {
            // Opened here: reported where it is opened, or exempt there
            // (a file streamed between awaits).
            Expr::Call(call) => self.catalogue_call(call, scope).is_some(),
            Expr::Name(name) => {
                let Some(binding) =
                    self.checker
                        .semantic
                        .resolve_name(name.id.as_str(), scope, name.start())
                else {
                    return false;
                };
                if binding.scope != scope || binding.annotation.is_some() {
                    return false;
                }
                match binding.kind {
                    BindingKind::Assignment { value: Some(value) } => {
                        self.opened_in(value, scope, depth + 1)
                    }
                    BindingKind::WithItem { .. } => self
                        .checker
                        .semantic
                        .with_item_value(binding)
                        .is_some_and(|value| self.opened_in(value, scope, depth + 1)),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The scope of the sync helper a call calls, if it is one whose body we
    /// can trust to be what runs: a function of the module called by name,
    /// or a method of the class called through `self` or `cls`.
    fn helper_callee(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<ScopeId> {
        let semantic = &self.checker.semantic;
        let (def, def_scope) = match &*call.func {
            Expr::Name(name) => {
                let binding = semantic.resolve_name(name.id.as_str(), scope, name.start())?;
                let BindingKind::FunctionDef(def) = binding.kind else {
                    return None;
                };
                (def, binding.scope)
            }
            Expr::Attribute(attr) => {
                let Expr::Name(receiver) = &*attr.value else {
                    return None;
                };
                let (class, self_name, class_scope) = self.method_of(scope)?;
                if receiver.id.as_str() != self_name
                    || semantic
                        .resolve_name(self_name, scope, receiver.start())
                        .is_none_or(|b| !matches!(b.kind, BindingKind::Parameter { .. }))
                {
                    return None;
                }
                // The method of the class, or of a same-module base.
                let (method_scope, def) = semantic.method(class, attr.attr.id.as_str())?;
                let _ = class_scope;
                (def, semantic.scope(method_scope).parent?)
            }
            _ => return None,
        };
        if def.is_async || !self.keeps_function(def, def_scope) {
            return None;
        }
        semantic.function_scope(def)
    }

    /// Whether a call of a sync helper runs its body at most once per
    /// process: the helper is memoised with `functools.cache`/`lru_cache`
    /// and the call passes no arguments (one cache entry).
    fn cached_once(&self, call: &'a ast::ExprCall, scope: ScopeId) -> bool {
        if !call.arguments.is_empty() {
            return false;
        }
        let semantic = &self.checker.semantic;
        let Some(callee) = self.helper_callee(call, scope) else {
            return false;
        };
        let crate::semantic::ScopeKind::Function(def) = semantic.scope(callee).kind else {
            return false;
        };
        let outer = semantic.scope(callee).parent.unwrap_or(ScopeId::MODULE);
        // Through `self`, the cache is keyed on the receiver: once per
        // object, like the first-time branch of a cache.
        def.decorator_list.iter().any(|decorator| {
            let expr = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            semantic
                .resolve_qualified_name(expr, outer)
                .is_some_and(|q| matches!(q.segments(), ["functools", "cache" | "lru_cache"]))
        })
    }

    /// Whether the decorators leave a sync function a plain sync function
    /// (none, caching ones, `staticmethod`, `classmethod`).
    fn keeps_function(&self, def: &ast::StmtFunctionDef, scope: ScopeId) -> bool {
        def.decorator_list.iter().all(|decorator| {
            let expr = match &decorator.expression {
                Expr::Call(call) => &*call.func,
                other => other,
            };
            self.checker
                .semantic
                .resolve_qualified_name(expr, scope)
                .is_some_and(|q| {
                    matches!(
                        q.segments(),
                        ["functools", "cache" | "lru_cache"]
                            | ["builtins", "staticmethod" | "classmethod"]
                    )
                })
        })
    }

    /// For every sync function: the shortest chain of helper calls that
    /// reaches a blocking call, found breadth-first (so recursion ends), as
    /// displayed after the helper itself (`["self.wait()", "time.sleep()"]`),
    /// and whether the function is a generator.
    fn compute_helper_chains(&self) -> HashMap<ScopeId, HelperChain> {
        let semantic = &self.checker.semantic;
        let mut direct: HashMap<ScopeId, &'static Entry> = HashMap::new();
        let mut callees: HashMap<ScopeId, Vec<(ScopeId, String)>> = HashMap::new();
        let mut generators: HashSet<ScopeId> = HashSet::new();
        // Functions that prompt on the console, themselves or through a
        // helper they call (at any depth, not only on the shortest chain to
        // a blocking call): a prompt in a thread no longer answers Ctrl-C.
        let mut prompting: HashSet<ScopeId> = HashSet::new();
        let mut starts = Vec::new();
        for (scope, def) in semantic.functions() {
            if def.is_async {
                continue;
            }
            starts.push(scope);
            let mut summary = HelperSummary {
                analysis: self,
                scope,
                first_blocking: None,
                callees: Vec::new(),
                generator: false,
                prompts: false,
            };
            semantic.walk_scope(&def.body, &mut summary);
            if summary.prompts {
                prompting.insert(scope);
            }
            if let Some(entry) = summary.first_blocking {
                direct.insert(scope, entry);
            }
            if summary.generator {
                generators.insert(scope);
            }
            callees.insert(scope, summary.callees);
        }
        loop {
            let more: Vec<ScopeId> = callees
                .iter()
                .filter(|(scope, calls)| {
                    !prompting.contains(*scope)
                        && calls.iter().any(|(callee, _)| prompting.contains(callee))
                })
                .map(|(scope, _)| *scope)
                .collect();
            if more.is_empty() {
                break;
            }
            prompting.extend(more);
        }
        let mut chains = HashMap::new();
        for start in starts {
            let mut previous: HashMap<ScopeId, (ScopeId, &str)> = HashMap::new();
            let mut queue = VecDeque::from([start]);
            let mut found = None;
            while let Some(current) = queue.pop_front() {
                if direct.contains_key(&current) {
                    found = Some(current);
                    break;
                }
                for (next, display) in callees.get(&current).into_iter().flatten() {
                    if *next != start && !previous.contains_key(next) {
                        previous.insert(*next, (current, display));
                        queue.push_back(*next);
                    }
                }
            }
            let Some(end) = found else { continue };
            // A prompt in a thread no longer answers Ctrl-C: no thread fix.
            let prompts = direct[&end].instead == catalogue::INPUT;
            let mut chain = vec![format!("{}()", direct[&end].display())];
            let mut at = end;
            while let Some(&(before, display)) = previous.get(&at) {
                chain.push(format!("{display}()"));
                at = before;
            }
            chain.reverse();
            chains.insert(
                start,
                HelperChain {
                    chain,
                    no_thread: generators.contains(&start) || prompts || prompting.contains(&start),
                    prompts,
                },
            );
        }
        chains
    }

    fn blocking(&self, call: &'a ast::ExprCall, scope: ScopeId) -> Option<Blocking> {
        if let Some(entry) = self.direct(call, scope) {
            return Some(Blocking::Direct(entry));
        }
        let callee = self.helper_callee(call, scope)?;
        let HelperChain {
            chain,
            no_thread,
            prompts,
        } = self.helper_chains().get(&callee)?.clone();
        let name = self.checker.text(&*call.func).to_string();
        Some(Blocking::Helper {
            name,
            chain,
            no_thread,
            prompts,
        })
    }
}

/// What a `with` block does in its own frame (nested functions and lambdas
/// aside): whether it awaits, and whether it makes a blocking call.
struct BlockBody<'s, 'c, 'a> {
    /// Set to look for blocking calls too.
    analysis: Option<&'s Analysis<'c, 'a>>,
    scope: ScopeId,
    awaits: bool,
    blocks: bool,
}

impl<'a> ruff_python_ast::visitor::Visitor<'a> for BlockBody<'_, '_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::With(ast::StmtWith { is_async: true, .. })
            | Stmt::For(ast::StmtFor { is_async: true, .. }) => {
                self.awaits = true;
                ruff_python_ast::visitor::walk_stmt(self, stmt);
            }
            _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Await(_) => self.awaits = true,
            Expr::Call(call) => {
                if let Some(analysis) = self.analysis
                    && !self.blocks
                    && analysis
                        .blocking(call, self.scope)
                        .is_some_and(|b| match b {
                            Blocking::Direct(entry) => entry.family == Family::Blocking,
                            Blocking::Helper { .. } => true,
                        })
                {
                    self.blocks = true;
                }
            }
            _ => {}
        }
        ruff_python_ast::visitor::walk_expr(self, expr);
    }
}

/// What one sync function does: its first blocking call and the helpers it
/// calls.
struct HelperSummary<'s, 'c, 'a> {
    analysis: &'s Analysis<'c, 'a>,
    scope: ScopeId,
    first_blocking: Option<&'static Entry>,
    callees: Vec<(ScopeId, String)>,
    generator: bool,
    /// Calls `input()` or `getpass()` itself.
    prompts: bool,
}

impl<'a> ScopeVisitor<'a> for HelperSummary<'_, '_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        if matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_)) {
            self.generator = true;
        }
        let Expr::Call(call) = expr else { return };
        if let Some(entry) = self.analysis.direct(call, self.scope) {
            if entry.family == Family::Blocking {
                self.first_blocking.get_or_insert(entry);
            }
            self.prompts |= entry.instead == catalogue::INPUT;
        } else if let Some(callee) = self.analysis.helper_callee(call, self.scope)
            && !self.callees.iter().any(|(c, _)| *c == callee)
        {
            let display = self.analysis.checker.text(&*call.func).to_string();
            self.callees.push((callee, display));
        }
    }
}

/// The callees a function hands to another call (`to_thread(self.file.read,
/// n)`, `run_in_threadpool(f.write, data)`), by text: where the same
/// function also calls one of them directly, it chose to (an in-memory
/// file, a small read), and that call is not reported.
struct Offloaded<'c, 'a> {
    checker: &'c Checker<'a>,
    scope: ScopeId,
    callees: HashSet<&'a str>,
}

impl<'a> ScopeVisitor<'a> for Offloaded<'_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            for arg in &call.arguments.args {
                // Methods of objects, not module functions (`os.listdir`
                // offloaded once is still blocking when called directly).
                if matches!(arg, Expr::Attribute(_))
                    && self
                        .checker
                        .semantic
                        .resolve_qualified_name(arg, self.scope)
                        .is_none()
                {
                    self.callees.insert(self.checker.text(arg));
                }
            }
        }
    }
}

struct CallFinder<'s, 'c, 'a> {
    /// `with` blocks a fix moves to a thread as a whole: the calls inside
    /// get no fix of their own (it would compete with the block's).
    moved_blocks: Vec<TextRange>,
    /// See [`Offloaded`].
    offloaded: HashSet<&'a str>,
    analysis: &'s Analysis<'c, 'a>,
    scope: ScopeId,
    /// Which entries this run reports (CS003's or CS006's).
    family: Family,
    /// A call to the call that consumes its result at once: the argument of
    /// `json.load(open(p))`, the receiver of `open(p).read()`.
    consumers: HashMap<TextRange, &'a ast::ExprCall>,
    /// Calls in a position where `await call` needs no parentheses: a whole
    /// statement, the value of an assignment or `return`, a `with` item, an
    /// argument, an element of a collection or comprehension (a set: each
    /// finding asks, and a function may hold thousands).
    bare_calls: rustc_hash::FxHashSet<TextRange>,
    /// Generator expressions: `await` in one would make it asynchronous.
    generators: Vec<TextRange>,
    /// `NAME = asyncio.get_running_loop()` (or `get_event_loop()`) targets,
    /// for reuse by the executor fix.
    loops: Vec<(&'a str, TextRange)>,
    diagnostics: &'s mut Vec<Diagnostic>,
    function: &'a str,
    def: &'a ast::StmtFunctionDef,
}

impl<'a> ScopeVisitor<'a> for CallFinder<'_, '_, 'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        let value = match stmt {
            Stmt::Expr(ast::StmtExpr { value, .. }) => Some(&**value),
            Stmt::Assign(ast::StmtAssign { value, targets, .. }) => {
                if let [Expr::Name(name)] = &targets[..]
                    && let Expr::Call(call) = &**value
                    && self
                        .analysis
                        .checker
                        .semantic
                        .resolve_qualified_name(&call.func, self.scope)
                        .is_some_and(|q| {
                            matches!(
                                q.segments(),
                                ["asyncio", "get_running_loop" | "get_event_loop"]
                            )
                        })
                {
                    self.loops.push((name.id.as_str(), name.range));
                }
                Some(&**value)
            }
            Stmt::AnnAssign(ast::StmtAnnAssign { value, .. }) => value.as_deref(),
            Stmt::AugAssign(ast::StmtAugAssign { value, .. }) => Some(&**value),
            Stmt::Return(ast::StmtReturn { value, .. }) => value.as_deref(),
            Stmt::With(with) => {
                for item in &with.items {
                    self.mark_bare(&item.context_expr);
                }
                None
            }
            _ => None,
        };
        if let Some(value) = value {
            self.mark_bare(value);
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Generator(generator) => self.generators.push(generator.range()),
            Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::List(ast::ExprList { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                for elt in elts {
                    self.mark_bare(elt);
                }
            }
            Expr::ListComp(ast::ExprListComp { elt, .. })
            | Expr::SetComp(ast::ExprSetComp { elt, .. }) => self.mark_bare(elt),
            Expr::DictComp(ast::ExprDictComp { value, .. }) => self.mark_bare(value),
            Expr::Dict(dict) => {
                for item in &dict.items {
                    self.mark_bare(&item.value);
                }
            }
            Expr::Call(call) => {
                for arg in &call.arguments.args {
                    self.mark_bare(arg);
                    if arg.is_call_expr() {
                        self.consumers.insert(arg.range(), call);
                    }
                }
                if let Expr::Attribute(attr) = &*call.func
                    && attr.value.is_call_expr()
                {
                    self.consumers.insert(attr.value.range(), call);
                }
                for keyword in &call.arguments.keywords {
                    if keyword.arg.is_some() {
                        self.mark_bare(&keyword.value);
                    }
                }
                self.check_call(call);
            }
            _ => {}
        }
    }
}

impl<'a> CallFinder<'_, '_, 'a> {
    /// Records code a fix moves into a thread. Syntax ranges nest or are
    /// disjoint: one inside a recorded block adds nothing, and one around
    /// recorded blocks replaces them, so the list stays sorted and disjoint.
    fn add_moved_block(&mut self, range: TextRange) {
        if self.in_moved_block(range) {
            return;
        }
        // The blocks inside it: a run from where it starts.
        let at = self
            .moved_blocks
            .partition_point(|b| b.start() < range.start());
        let inside = self.moved_blocks[at..]
            .iter()
            .take_while(|b| range.contains_range(**b))
            .count();
        self.moved_blocks.splice(at..at + inside, [range]);
    }

    /// Whether `range` is inside code a fix moves into a thread (by binary
    /// search: every finding of a long function asks).
    fn in_moved_block(&self, range: TextRange) -> bool {
        let after = self
            .moved_blocks
            .partition_point(|b| b.start() <= range.start());
        after > 0 && self.moved_blocks[after - 1].contains_range(range)
    }

    fn mark_bare(&mut self, expr: &Expr) {
        if expr.is_call_expr() {
            self.bare_calls.insert(expr.range());
        }
    }

    fn check_call(&mut self, call: &'a ast::ExprCall) {
        if self
            .offloaded
            .contains(self.analysis.checker.text(&*call.func))
        {
            return;
        }
        let Some(blocking) = self.analysis.blocking(call, self.scope) else {
            return;
        };
        let family = match &blocking {
            Blocking::Direct(entry) => entry.family,
            Blocking::Helper { .. } => Family::Blocking,
        };
        if family != self.family {
            return;
        }
        // A console prompt waits for the person at the terminal; unless the
        // module runs other work beside it, there is nothing else to run.
        let prompts = match &blocking {
            Blocking::Direct(entry) => entry.instead == catalogue::INPUT,
            Blocking::Helper { prompts, .. } => *prompts,
        };
        if prompts && !self.analysis.module_spawns() {
            return;
        }
        // A cached helper called without arguments runs its body once.
        if matches!(blocking, Blocking::Helper { .. })
            && self.analysis.cached_once(call, self.scope)
        {
            return;
        }
        // The small case of a size threshold whose large case is offloaded.
        if self.analysis.inline_below_threshold(call, self.scope) {
            return;
        }
        // The first-time branch of a lazily filled cache runs once.
        if self
            .analysis
            .checker
            .semantic
            .fills_empty_cache(call.start(), self.scope)
        {
            return;
        }
        let function = self.function;
        let (message, fix) = match &blocking {
            Blocking::Direct(entry) => (
                format!(
                    "`{}` blocks the event loop inside `async def {function}`; use {}",
                    entry.display(),
                    entry.instead
                ),
                entry.fix,
            ),
            Blocking::Helper {
                name,
                chain,
                no_thread,
                ..
            } => (
                format!(
                    "`{name}()` blocks the event loop inside `async def {function}`: `{name}() -> {}`; {}",
                    chain.join(" -> "),
                    if *no_thread {
                        "do this work outside the event loop"
                    } else {
                        "run it with `await asyncio.to_thread(...)` or make it async"
                    }
                ),
                if *no_thread { Fix::None } else { Fix::Thread },
            ),
        };
        let mut diagnostic = Diagnostic::new(self.info(), message, call.range());
        if self.in_moved_block(call.range()) {
            self.diagnostics.push(diagnostic);
            return;
        }
        // requests -> aiohttp comes first when every use of the response
        // has an aiohttp spelling; `to_thread` stays as the alternative.
        if let Blocking::Direct(entry) = &blocking
            && let Target::Function(qualified) = entry.target
            && let Some(fix) = requests_to_aiohttp_fix(
                self.analysis.checker,
                self.scope,
                self.def,
                call,
                qualified,
            )
        {
            diagnostic = diagnostic.with_fix(fix);
        }
        let in_generator = self
            .generators
            .iter()
            .any(|g| g.contains_range(call.range()));
        // A file opened (or a temporary directory entered) by a `with`: the
        // whole block moves to a thread, or nothing does.
        let opens = matches!(&blocking, Blocking::Direct(entry)
            if entry.returns == Some("file") || entry.when == When::WithItem);
        if opens {
            if !in_generator
                && self.module_usable("asyncio", call)
                && let Some(fix) = self.opening_fix(call)
            {
                diagnostic = diagnostic.with_fix(fix);
            }
            self.diagnostics.push(diagnostic);
            return;
        }
        if !in_generator
            && self.func_is_adjacent(call)
            && self.module_usable("asyncio", call)
            && (self.analysis.checker.settings.target_version.at_least(9)
                || call.arguments.keywords.is_empty()
                || self.module_usable("functools", call))
        {
            let parens = !self.bare_calls.contains(&call.range());
            // `subprocess.Popen(cmd).wait()`: the receiver blocks too, and
            // would run on the loop as `to_thread`'s argument; the whole
            // chain goes to the thread.
            let blocking_receiver = matches!(&*call.func, Expr::Attribute(attr)
                if matches!(&*attr.value, Expr::Call(inner) if self.analysis.direct(inner, self.scope).is_some()));
            if blocking_receiver && fix == Fix::Thread {
                if let Some(code_fix) = fix_block::lambda_fix(
                    self.analysis.checker,
                    call,
                    parens,
                    &self.loops,
                    self.scope,
                ) {
                    self.add_moved_block(call.range());
                    diagnostic = diagnostic.with_fix(code_fix);
                }
                self.diagnostics.push(diagnostic);
                return;
            }
            let code_fix = match fix {
                Fix::Sleep => Some(sleep_fix(
                    self.analysis.checker,
                    call,
                    parens,
                    fix_block::touches_shared_state_after(
                        self.analysis.checker,
                        self.def,
                        self.scope,
                        call,
                    ),
                )),
                // Like the sleep fix, the thread fix inserts an `await`:
                // where the coroutine then writes shared state, another
                // coroutine can now run in the middle of what was one
                // step (a check-then-act on `self` becomes a race), so no
                // mechanical fix is offered there.
                Fix::Thread
                    if fix_block::touches_shared_state_after(
                        self.analysis.checker,
                        self.def,
                        self.scope,
                        call,
                    ) || self.shares_object_state(call)
                        || self.reads_unseen_state(call) =>
                {
                    None
                }
                Fix::Thread => Some(self.thread_fix(call, parens)),
                Fix::None => None,
            };
            if let Some(code_fix) = code_fix {
                diagnostic = diagnostic.with_fix(code_fix);
            }
        }
        self.diagnostics.push(diagnostic);
    }

    /// The receiver of the method being checked and the attributes its
    /// class's coroutines change, when there are any (computed once per
    /// class, not once per finding).
    fn object_state(&self) -> Option<(&'a str, std::rc::Rc<HashSet<String>>)> {
        let (class, receiver, _) = self.analysis.method_of(self.scope)?;
        let checker = self.analysis.checker;
        let changed = checker.memo("cs003:changed-by-coroutines", class.range(), || {
            checker
                .semantic
                .attributes_changed_by_coroutines(class)
                .into_iter()
                .map(str::to_string)
                .collect::<HashSet<String>>()
        });
        (!changed.is_empty()).then_some((receiver, changed))
    }

    /// Whether the work a thread fix would move reads state of the object
    /// that the class's coroutines change: an argument such as `self.data`,
    /// or a method of the object (or a function it calls) using such an
    /// attribute. In a thread, that work would read the state while the
    /// event loop changes it (a dictionary changing size while it is
    /// pickled), and concurrent calls that ran one after another would
    /// overlap (two threads writing the same file).
    fn shares_object_state(&self, call: &'a ast::ExprCall) -> bool {
        let Some((receiver, changed)) = self.object_state() else {
            return false;
        };
        let of_object = |expr: &Expr| {
            matches!(expr, Expr::Attribute(attr)
                if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == receiver)
                    && changed.contains(attr.attr.id.as_str()))
        };
        if call.arguments.args.iter().any(&of_object)
            || call.arguments.keywords.iter().any(|k| of_object(&k.value))
        {
            return true;
        }
        let semantic = &self.analysis.checker.semantic;
        let Some((callee, def)) = semantic.resolve_callee(&call.func, self.scope) else {
            return false;
        };
        let reached = semantic
            .reachable_functions(callee)
            .into_iter()
            .filter_map(|scope| match semantic.scope(scope).kind {
                crate::semantic::ScopeKind::Function(def) => Some(def),
                _ => None,
            });
        std::iter::once(def).chain(reached).any(|def| {
            semantic
                .receiver_attributes(def)
                .iter()
                .any(|attribute| changed.contains(*attribute))
        })
    }

    /// Whether the work a thread fix would move (the callee and what it
    /// calls in the module) reads the object through methods the module
    /// does not show: an abstract method a subclass elsewhere implements,
    /// or one inherited from a base in another module. Whether coroutines
    /// change that state meanwhile cannot be seen here, so no thread fix is
    /// offered (mautrix's `FileStore._save` pickles `self.serialize()`, the
    /// live dictionaries of a state store defined in another module).
    fn reads_unseen_state(&self, call: &'a ast::ExprCall) -> bool {
        let semantic = &self.analysis.checker.semantic;
        let Some((callee, _)) = semantic.resolve_callee(&call.func, self.scope) else {
            return false;
        };
        std::iter::once(callee)
            .chain(semantic.reachable_functions(callee))
            .any(|scope| semantic.calls_unseen_methods(scope))
    }

    /// [`Self::shares_object_state`] for a whole `with` block moved to a
    /// thread: the block uses such an attribute.
    fn block_shares_object_state(&self, with: &'a ast::StmtWith) -> bool {
        let Some((receiver, changed)) = self.object_state() else {
            return false;
        };
        self.analysis
            .checker
            .semantic
            .receiver_attributes_in(receiver, &with.body)
            .iter()
            .any(|attribute| changed.contains(*attribute))
    }

    fn info(&self) -> &'static crate::rules::rule::RuleInfo {
        match self.family {
            Family::Blocking => &BlockingCallInAsync::INFO,
            Family::Metadata => {
                &crate::rules::cs006_blocking_filesystem_metadata::BlockingFilesystemMetadata::INFO
            }
        }
    }

    /// The fix for a call that opens a file (or enters a temporary
    /// directory): the whole `with` block it heads moves into a sync
    /// function run in a thread; a file read on the spot
    /// (`json.load(open(p))`, `open(p).read()`) moves with what reads it.
    fn opening_fix(&mut self, call: &'a ast::ExprCall) -> Option<CodeFix> {
        let checker = self.analysis.checker;
        if let Some((with, _)) = checker
            .semantic
            .with_item_at(call.range())
            .filter(|(with, _)| !with.is_async)
        {
            if self.block_shares_object_state(with) {
                return None;
            }
            let fix = fix_block::block_fix(checker, self.def, self.scope, with, &self.loops)?;
            self.add_moved_block(with.range());
            return Some(fix);
        }
        // The outermost reader: `open(p).read()`, then `json.loads(...)`.
        let mut outer: Option<&'a ast::ExprCall> = None;
        let mut current = call.range();
        while let Some(&consumer) = self.consumers.get(&current) {
            let reads = match &*consumer.func {
                Expr::Attribute(attr) if attr.value.range() == current => true,
                func => checker
                    .semantic
                    .resolve_qualified_name(func, self.scope)
                    .is_some_and(|q| fix_block::LOADER_SET.contains(&q)),
            };
            if !reads {
                break;
            }
            outer = Some(consumer);
            current = consumer.range();
        }
        let outer = outer?;
        let fix = fix_block::lambda_fix(
            checker,
            outer,
            !self.bare_calls.contains(&outer.range()),
            &self.loops,
            self.scope,
        )?;
        self.add_moved_block(outer.range());
        Some(fix)
    }

    /// Whether the name a fix would use for `module` refers to that module at
    /// the call (not to a parameter or variable that shadows it).
    fn module_usable(&self, module: &str, call: &ast::ExprCall) -> bool {
        let checker = self.analysis.checker;
        let (name, _) = checker.fixer().import_module(module);
        match checker
            .semantic
            .resolve_name(&name, self.scope, call.start())
        {
            None => true,
            Some(binding) => {
                matches!(binding.kind, BindingKind::Import { qualified } if qualified == module)
            }
        }
    }

    /// Whether only whitespace separates the callee from `(`, so the callee
    /// can be replaced on its own (not `(time.sleep)(1)`).
    fn func_is_adjacent(&self, call: &ast::ExprCall) -> bool {
        let between = TextRange::new(call.func.end(), call.arguments.start());
        self.analysis.checker.source[between].trim().is_empty()
    }

    /// `f(args)` -> `await asyncio.to_thread(f, args)`, or before Python 3.9
    /// `await loop.run_in_executor(None, f, args)` (through
    /// `functools.partial` when there are keyword arguments).
    fn thread_fix(&self, call: &'a ast::ExprCall, parens: bool) -> CodeFix {
        let checker = self.analysis.checker;
        let parens = parens && !fix_executor::whole_test(checker, call);
        if let Some(fix) = fix_executor::project_runner(checker, self.def, self.scope, call, parens)
        {
            return fix;
        }
        let func = checker.text(&*call.func);
        let open = if parens { "(" } else { "" };
        let arguments = &call.arguments;
        let mut edits = Vec::new();
        // Inserts `items` as the first arguments of the call, in the
        // formatter's layout.
        let prepend = |items: &[String], edits: &mut Vec<Edit>| {
            edits.extend(crate::fix::edits::prepend_arguments(checker, call, items));
        };
        let title = if checker.settings.target_version.at_least(9) {
            let (asyncio, import) = checker.fixer().import_module("asyncio");
            edits.push(Edit::range_replacement(
                format!("{open}await {asyncio}.to_thread"),
                call.func.range(),
            ));
            prepend(&[func.to_string()], &mut edits);
            edits.extend(import);
            format!("Run it in a thread: `await {asyncio}.to_thread({func}, ...)`")
        } else {
            let reusable = self.loops.iter().rev().find(|(name, range)| {
                checker
                    .semantic
                    .resolve_name(name, self.scope, call.start())
                    .is_some_and(|b| b.range == *range)
            });
            let event_loop = match reusable {
                Some((name, _)) => name.to_string(),
                None => {
                    let (asyncio, import) = checker.fixer().import_module("asyncio");
                    edits.extend(import);
                    format!("{asyncio}.get_running_loop()")
                }
            };
            edits.push(Edit::range_replacement(
                format!("{open}await {event_loop}.run_in_executor"),
                call.func.range(),
            ));
            if arguments.keywords.is_empty() {
                prepend(&["None".to_string(), func.to_string()], &mut edits);
            } else {
                let (functools, import) = checker.fixer().import_module("functools");
                edits.extend(import);
                prepend(
                    &["None".to_string(), format!("{functools}.partial({func}")],
                    &mut edits,
                );
                edits.push(Edit::insertion(
                    ")".to_string(),
                    arguments.end() - TextSize::from(1),
                ));
            }
            format!(
                "Run it in the default executor: `await {event_loop}.run_in_executor(None, {func}, ...)`"
            )
        };
        if parens {
            edits.push(Edit::insertion(")".to_string(), call.end()));
        }
        CodeFix::unsafe_(title, edits)
    }
}

/// `time.sleep(x)` -> `await asyncio.sleep(x)`, parenthesised when the call
/// is part of a larger expression. Unsafe when the function touches state
/// other coroutines share after the sleep: they now run during it.
fn sleep_fix(checker: &Checker, call: &ast::ExprCall, parens: bool, shared: bool) -> CodeFix {
    let (asyncio, import) = checker.fixer().import_module("asyncio");
    let mut edits = Vec::new();
    if parens {
        edits.push(Edit::range_replacement(
            format!("(await {asyncio}.sleep"),
            call.func.range(),
        ));
        edits.push(Edit::insertion(")".to_string(), call.end()));
    } else {
        edits.push(Edit::range_replacement(
            format!("await {asyncio}.sleep"),
            call.func.range(),
        ));
    }
    edits.extend(import);
    let title = format!("Replace with `await {asyncio}.sleep(...)`");
    if shared {
        CodeFix::unsafe_(title, edits)
    } else {
        CodeFix::safe(title, edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cs003_blocking_call::catalogue::CATALOGUE;

    fn cs003_lines(source: &str, report_alone_on_loop: bool) -> Vec<usize> {
        let mut settings = crate::config::settings::Settings::default();
        settings.rules.select = vec!["CS003".to_string()];
        settings.report_alone_on_loop = report_alone_on_loop;
        crate::analysis::analyze(std::path::Path::new("t.py"), source, &settings)
            .unwrap()
            .iter()
            .map(|d| source[..usize::from(d.range.start())].matches('\n').count() + 1)
            .collect()
    }

    /// A script's entry point and a CLI command are spared, unless the
    /// setting asks for them; one that starts concurrent work is not.
    #[test]
    fn coroutines_alone_on_their_loop() {
        let script = "import asyncio, sys\n\nasync def load(p):\n    with open(p) as f:\n        return f.read()\n\nasync def main():\n    print(await load(sys.argv[1]))\n\nif __name__ == \"__main__\":\n    asyncio.run(main())\n";
        assert!(cs003_lines(script, false).is_empty());
        assert_eq!(cs003_lines(script, true), vec![4]);
        let spawning = script.replace(
            "print(await load(sys.argv[1]))",
            "print(await asyncio.gather(load(sys.argv[1]), load(sys.argv[2])))",
        );
        assert_eq!(cs003_lines(&spawning, false), vec![4]);
        // Referred to from elsewhere too: not only an entry point.
        let exported = format!("{script}\nHANDLERS = [load]\n");
        assert_eq!(cs003_lines(&exported, false), vec![4]);
        let click = "import click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\nasync def show(p):\n    print(open(p).read())\n";
        assert!(cs003_lines(click, false).is_empty());
        assert_eq!(cs003_lines(click, true), vec![9]);
    }

    /// A `main()` driving the coroutine with `run_until_complete` is an
    /// entry point like `asyncio.run`; a handler handed to a server is not
    /// reached from it, whatever calls the server.
    #[test]
    fn loop_runners_and_callbacks() {
        let script = "import asyncio, sys\n\nasync def app():\n    async def write(page):\n        with open(sys.argv[1], 'w') as f:\n            f.write(page)\n    await write('x')\n\ndef main():\n    loop = asyncio.new_event_loop()\n    loop.run_until_complete(app())\n\nif __name__ == '__main__':\n    main()\n";
        assert!(cs003_lines(script, false).is_empty());
        assert_eq!(cs003_lines(script, true), vec![5]);
        let server = "import asyncio\n\nasync def handle(reader, writer):\n    with open('motd') as f:\n        writer.write(f.read().encode())\n\nasync def serve():\n    server = await asyncio.start_server(handle, port=8888)\n    await server.serve_forever()\n\nif __name__ == '__main__':\n    asyncio.run(serve())\n";
        assert_eq!(cs003_lines(server, false), vec![4]);
    }

    /// Test code is skipped unless `report-tests` asks for it.
    #[test]
    fn test_code_is_skipped_by_default() {
        let source = "async def test_read():\n    with open('fixture.json') as f:\n        assert f.read()\n";
        let lines = |path: &str, report_tests: bool| {
            let mut settings = crate::config::settings::Settings::default();
            settings.rules.select = vec!["CS003".to_string()];
            settings.report_tests = report_tests;
            crate::analysis::analyze(std::path::Path::new(path), source, &settings)
                .unwrap()
                .len()
        };
        assert_eq!(lines("pkg/tests/store.py", false), 0);
        assert_eq!(lines("pkg/store_test.py", false), 0);
        assert_eq!(lines("pkg/tests/store.py", true), 1);
        assert_eq!(lines("pkg/store.py", false), 1);
    }

    /// `codesight explain CS003` documents every catalogue entry: each
    /// function by module and name, each method by name.
    #[test]
    fn documentation_covers_the_catalogue() {
        let doc = BlockingCallInAsync::INFO.documentation();
        let mentions = |word: &str| {
            doc.match_indices(word).any(|(at, _)| {
                let before = doc[..at].chars().next_back();
                let after = doc[at + word.len()..].chars().next();
                let boundary =
                    |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                boundary(before) && boundary(after)
            })
        };
        for entry in CATALOGUE
            .iter()
            .filter(|e| e.blocks && e.family == catalogue::Family::Blocking)
        {
            match entry.target {
                Target::Function(name) => {
                    let name = name.strip_prefix("builtins.").unwrap_or(name);
                    let (module, last) = name.rsplit_once('.').unwrap_or(("", name));
                    assert!(
                        mentions(last) && (module.is_empty() || doc.contains(module)),
                        "`{name}` is not documented"
                    );
                }
                Target::Method { name, .. } => {
                    let documented = mentions(name)
                        || name == "*"
                        || (name.starts_with("fetch") && doc.contains("fetch*"));
                    assert!(documented, "method `{name}` is not documented");
                }
            }
        }
    }
}
