//! Maximum flow (Dinic's algorithm) and flows with lower bounds: the machinery behind the
//! selection's feasibility checks ("does a complete list that keeps every limit still exist?").
//!
//! Quantities are unit counts. The networks the selection builds are small (two nodes per
//! reporting unit and type, one edge per province × type cell), so a check takes microseconds;
//! the buffers of a [`Network`] are kept between checks so that a walk down the ranking does not
//! allocate per unit.

/// A flow network: nodes `0..n`, directed edges with capacities.
#[derive(Debug, Clone, Default)]
pub struct Network {
    /// Per node, the ids of its outgoing edges (reverse edges included).
    adj: Vec<Vec<usize>>,
    /// Per edge, its head; edge `e ^ 1` is its reverse.
    to: Vec<usize>,
    /// Per edge, the capacity left (residual).
    cap: Vec<u64>,
    level: Vec<u32>,
    next: Vec<usize>,
    queue: Vec<usize>,
}

const UNSEEN: u32 = u32::MAX;

impl Network {
    /// An empty network of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        let mut n = Network::default();
        n.reset(nodes);
        n
    }

    /// Forget every edge and resize to `nodes` nodes, keeping the buffers.
    pub fn reset(&mut self, nodes: usize) {
        for a in &mut self.adj {
            a.clear();
        }
        self.adj.resize_with(nodes, Vec::new);
        self.to.clear();
        self.cap.clear();
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.adj.len()
    }

    /// Add an edge `from → to` of capacity `cap`; returns its id.
    pub fn add_edge(&mut self, from: usize, to: usize, cap: u64) -> usize {
        let id = self.to.len();
        self.to.push(to);
        self.cap.push(cap);
        self.adj[from].push(id);
        self.to.push(from);
        self.cap.push(0);
        self.adj[to].push(id + 1);
        id
    }

    /// Flow currently on edge `id` (as returned by [`Network::add_edge`]).
    pub fn flow(&self, id: usize) -> u64 {
        self.cap[id ^ 1]
    }

    /// Push as much flow as possible from `s` to `t`, at most `limit`; returns the amount pushed.
    /// Flow already on the network stays (calls accumulate).
    pub fn max_flow(&mut self, s: usize, t: usize, limit: u64) -> u64 {
        let mut total = 0;
        while total < limit && self.levels(s, t) {
            self.next.clear();
            self.next.resize(self.adj.len(), 0);
            loop {
                let pushed = self.augment(s, t, limit - total);
                if pushed == 0 {
                    break;
                }
                total += pushed;
                if total == limit {
                    break;
                }
            }
        }
        total
    }

    /// Breadth-first levels from `s` over edges with capacity left; whether `t` is reached.
    fn levels(&mut self, s: usize, t: usize) -> bool {
        self.level.clear();
        self.level.resize(self.adj.len(), UNSEEN);
        self.queue.clear();
        self.level[s] = 0;
        self.queue.push(s);
        let mut head = 0;
        while let Some(&u) = self.queue.get(head) {
            head += 1;
            for &e in &self.adj[u] {
                let v = self.to[e];
                if self.cap[e] > 0 && self.level[v] == UNSEEN {
                    self.level[v] = self.level[u] + 1;
                    self.queue.push(v);
                }
            }
        }
        self.level[t] != UNSEEN
    }

    /// One augmenting path along increasing levels (depth-first, resuming each node's edge list
    /// where it left off); the amount pushed, 0 when the level graph is exhausted.
    fn augment(&mut self, u: usize, t: usize, want: u64) -> u64 {
        if u == t {
            return want;
        }
        while self.next[u] < self.adj[u].len() {
            let e = self.adj[u][self.next[u]];
            let v = self.to[e];
            if self.cap[e] > 0 && self.level[v] == self.level[u] + 1 {
                let pushed = self.augment(v, t, want.min(self.cap[e]));
                if pushed > 0 {
                    self.cap[e] -= pushed;
                    self.cap[e ^ 1] += pushed;
                    return pushed;
                }
            }
            self.next[u] += 1;
        }
        0
    }
}

/// An edge that must carry at least `lo` and at most `hi` units of flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded {
    pub from: usize,
    pub to: usize,
    pub lo: u64,
    pub hi: u64,
}

/// Whether a circulation exists on nodes `0..nodes` in which every edge carries between its
/// `lo` and its `hi` (flow is conserved at every node). `net` is scratch space, reused.
///
/// The usual reduction: each edge keeps `hi - lo` of free capacity and its `lo` becomes a demand
/// at its tail and a supply at its head; a circulation exists exactly when a super source can
/// satisfy every supply through the free capacities.
pub fn circulation_exists(nodes: usize, edges: &[Bounded], net: &mut Network) -> bool {
    if edges.iter().any(|e| e.lo > e.hi) {
        return false;
    }
    let (source, sink) = (nodes, nodes + 1);
    net.reset(nodes + 2);
    // Net supply per node: positive when more lower-bound flow enters it than leaves it.
    let mut balance = vec![0i128; nodes];
    for e in edges {
        if e.hi > e.lo {
            net.add_edge(e.from, e.to, e.hi - e.lo);
        }
        balance[e.to] += i128::from(e.lo);
        balance[e.from] -= i128::from(e.lo);
    }
    let mut need: u64 = 0;
    for (v, &b) in balance.iter().enumerate() {
        let amount = u64::try_from(b.unsigned_abs()).unwrap_or(u64::MAX);
        if b > 0 {
            net.add_edge(source, v, amount);
            need = need.saturating_add(amount);
        } else if b < 0 {
            net.add_edge(v, sink, amount);
        }
    }
    net.max_flow(source, sink, need) == need
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook network (CLRS fig. 26.1): maximum flow 23.
    #[test]
    fn max_flow_of_the_textbook_network() {
        let mut n = Network::new(6);
        for (u, v, c) in [
            (0, 1, 16),
            (0, 2, 13),
            (1, 3, 12),
            (2, 1, 4),
            (2, 4, 14),
            (3, 2, 9),
            (3, 5, 20),
            (4, 3, 7),
            (4, 5, 4),
        ] {
            n.add_edge(u, v, c);
        }
        assert_eq!(n.max_flow(0, 5, u64::MAX), 23);
        // Nothing more can be pushed.
        assert_eq!(n.max_flow(0, 5, u64::MAX), 0);
    }

    /// A limit stops the flow early; the edge flow is readable.
    #[test]
    fn max_flow_stops_at_its_limit() {
        let mut n = Network::new(2);
        let e = n.add_edge(0, 1, 10);
        assert_eq!(n.max_flow(0, 1, 4), 4);
        assert_eq!(n.flow(e), 4);
    }

    /// s → a [2, 5], a → t [0, 3], t → s [0, 10]: a circulation of 2 or 3 exists. With a → t
    /// capped at 1, the 2 units s → a must carry cannot leave a.
    #[test]
    fn circulations_respect_lower_bounds() {
        let mut net = Network::default();
        let edges = |cap_at: u64| {
            vec![
                Bounded {
                    from: 0,
                    to: 1,
                    lo: 2,
                    hi: 5,
                },
                Bounded {
                    from: 1,
                    to: 2,
                    lo: 0,
                    hi: cap_at,
                },
                Bounded {
                    from: 2,
                    to: 0,
                    lo: 0,
                    hi: 10,
                },
            ]
        };
        assert!(circulation_exists(3, &edges(3), &mut net));
        assert!(!circulation_exists(3, &edges(1), &mut net));
        // A lower bound above the upper one never holds.
        let bad = [Bounded {
            from: 0,
            to: 1,
            lo: 2,
            hi: 1,
        }];
        assert!(!circulation_exists(2, &bad, &mut net));
    }
}
