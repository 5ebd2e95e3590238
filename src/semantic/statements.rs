//! Statement ids and the statement tree: the block each statement sits in,
//! its index there, its parent statement, and the kind of block (loop body,
//! `try` body, `except` handler, `finally`...).
//!
//! Ids are handed out in source order (preorder), and written into each
//! statement's `node_index`, so that [`Statements::id`] is O(1).

use ruff_python_ast::{self as ast, HasNodeIndex, NodeIndex, Stmt};
use ruff_text_size::{Ranged, TextSize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StmtId(u32);

impl StmtId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_index(index: u32) -> Self {
        StmtId(index)
    }

    pub(crate) fn from_index_usize(index: usize) -> Self {
        StmtId(index as u32)
    }
}

/// Which body of its parent a statement is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Module,
    FunctionBody,
    ClassBody,
    /// The body of an `if`, or of one of its `elif`/`else` clauses.
    If,
    /// The body of a `for` or `while` loop.
    LoopBody,
    /// The `else` of a `for` or `while` loop.
    LoopElse,
    With,
    TryBody,
    Except,
    TryElse,
    Finally,
    MatchCase,
}

#[derive(Debug, Clone, Copy)]
pub struct StmtInfo<'a> {
    pub stmt: &'a Stmt,
    pub parent: Option<StmtId>,
    /// The block (body slice) the statement is in, and its index there.
    pub block: &'a [Stmt],
    pub index: u32,
    pub block_kind: BlockKind,
}

#[derive(Debug, Default)]
pub struct Statements<'a> {
    infos: Vec<StmtInfo<'a>>,
    /// Per statement, the id after its last descendant (its nested blocks'
    /// statements are the ids in between); apart from the infos, which
    /// name resolution reads in its hot loop.
    ends: Vec<u32>,
}

impl<'a> Statements<'a> {
    pub(crate) fn build(module: &'a [Stmt]) -> Self {
        let mut statements = Statements {
            infos: Vec::new(),
            ends: Vec::new(),
        };
        statements.add_block(module, None, BlockKind::Module);
        statements
    }

    fn add_block(&mut self, block: &'a [Stmt], parent: Option<StmtId>, kind: BlockKind) {
        for (index, stmt) in block.iter().enumerate() {
            let id = StmtId(self.infos.len() as u32);
            stmt.node_index().set(NodeIndex::from(id.0));
            self.infos.push(StmtInfo {
                stmt,
                parent,
                block,
                index: index as u32,
                block_kind: kind,
            });
            self.ends.push(0);
            self.add_children(stmt, id);
            self.ends[id.index()] = self.infos.len() as u32;
        }
    }

    fn add_children(&mut self, stmt: &'a Stmt, id: StmtId) {
        let p = Some(id);
        match stmt {
            Stmt::FunctionDef(def) => self.add_block(&def.body, p, BlockKind::FunctionBody),
            Stmt::ClassDef(class) => self.add_block(&class.body, p, BlockKind::ClassBody),
            Stmt::If(s) => {
                self.add_block(&s.body, p, BlockKind::If);
                for clause in &s.elif_else_clauses {
                    self.add_block(&clause.body, p, BlockKind::If);
                }
            }
            Stmt::For(ast::StmtFor { body, orelse, .. })
            | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                self.add_block(body, p, BlockKind::LoopBody);
                self.add_block(orelse, p, BlockKind::LoopElse);
            }
            Stmt::With(s) => self.add_block(&s.body, p, BlockKind::With),
            Stmt::Try(s) => {
                self.add_block(&s.body, p, BlockKind::TryBody);
                for handler in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.add_block(&h.body, p, BlockKind::Except);
                }
                self.add_block(&s.orelse, p, BlockKind::TryElse);
                self.add_block(&s.finalbody, p, BlockKind::Finally);
            }
            Stmt::Match(s) => {
                for case in &s.cases {
                    self.add_block(&case.body, p, BlockKind::MatchCase);
                }
            }
            _ => {}
        }
    }

    pub fn len(&self) -> usize {
        self.infos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    pub fn info(&self, id: StmtId) -> &StmtInfo<'a> {
        &self.infos[id.index()]
    }

    /// The id of a statement of this module (O(1): read from its
    /// `node_index`, checked to be this very node).
    pub fn id(&self, stmt: &Stmt) -> Option<StmtId> {
        let index = stmt.node_index().load().as_u32()?;
        let info = self.infos.get(index as usize)?;
        std::ptr::eq(info.stmt, stmt).then_some(StmtId(index))
    }

    /// The innermost statement whose range contains `offset`.
    pub fn at(&self, offset: TextSize) -> Option<StmtId> {
        // Ids are in source order: the last statement starting at or before
        // `offset`, or one of its ancestors, contains it.
        let after = self.infos.partition_point(|i| i.stmt.start() <= offset);
        let mut candidate = after.checked_sub(1).map(|i| StmtId(i as u32));
        while let Some(id) = candidate {
            let info = self.info(id);
            if info.stmt.range().contains_inclusive(offset) {
                return Some(id);
            }
            candidate = info.parent;
        }
        None
    }

    /// The index after the last statement nested in `id` (ids are handed
    /// out in preorder: a statement's descendants follow it).
    pub(crate) fn subtree_end(&self, id: StmtId) -> usize {
        self.ends[id.index()] as usize
    }

    /// The statement and its ancestors, innermost first.
    pub fn ancestors(&self, id: StmtId) -> impl Iterator<Item = StmtId> + '_ {
        std::iter::successors(Some(id), |&id| self.info(id).parent)
    }
}
