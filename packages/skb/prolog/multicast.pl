% Multicast trees (the paper's §5.1). From a source core, the message goes first to one aggregation
% core per other package, the farthest package first (its latency overlaps the sends that follow),
% then to the other cores of the source's own package; each aggregation core forwards to the other
% cores of its package the same way. A tree is mc(Core, Children), Children a list of trees in send
% order.

%!  multicast_tree(+Root, -Tree) is det.
multicast_tree(Root, mc(Root, Children)) :-
    core(Root, _),
    ensure_prepared,
    group_tree(Root, package, Children).

%!  numa_multicast_tree(+Root, -Tree) is det.
%   The NUMA-aware variant: one aggregation core per NUMA node, and each edge names the node whose
%   memory holds its channel's buffer (the receiving group's own node, so every core of a node reads
%   the message from local memory). A tree is mcn(Core, BufferNode, Children); the root's own node
%   stands in the root.
numa_multicast_tree(Root, mcn(Root, RootNode, Children)) :-
    core(Root, _),
    ensure_prepared,
    core_node(Root, RootNode),
    group_tree(Root, node, Children0),
    numa_annotate(Children0, Children).

% The plan of every core, per grouping (package or node), is computed when the facts change
% (topology.pl's skb_prepare calls mc_prepare): its leaves (the other cores of its group, slowest
% first) and the aggregation cores of the other groups in send order. A tree is then a few lookups;
% the benchmark reports the preparation and the query separately.
:- dynamic mc_leaves/3.   % mc_leaves(Core, Kind, Leaves): mc(C, []) trees in send order
:- dynamic mc_remote/3.   % mc_remote(Core, Kind, Aggs): aggregation cores, farthest group first

%!  mc_prepare is det.
mc_prepare :-
    retractall(mc_leaves(_, _, _)),
    retractall(mc_remote(_, _, _)),
    forall(( member(Kind, [package, node]), skb_core_group(Kind, C, G) ),
           ( skb_group(Kind, G, Cores),
             selectchk(C, Cores, Others),
             leaves_by_latency(C, Others, Leaves),
             assertz(mc_leaves(C, Kind, Leaves)),
             remote_order(C, Kind, G, Aggs),
             assertz(mc_remote(C, Kind, Aggs)) )).

remote_order(Root, Kind, RootGroup, Aggs) :-
    findall(s(Lat, G, Agg, x),
            ( skb_group(Kind, G, Cores), G \== RootGroup,
              aggregation_core(Root, Cores, Lat, Agg) ),
            Remote0),
    sort_by_latency(Remote0, Remote),
    findall(A, member(s(_, _, A, _), Remote), Aggs).

group_tree(Root, Kind, Children) :-
    mc_remote(Root, Kind, Aggs),
    mc_leaves(Root, Kind, Local),
    agg_trees(Aggs, Kind, Children, Local).

agg_trees([], _, Tail, Tail).
agg_trees([A|As], Kind, [mc(A, Leaves)|T], Tail) :-
    mc_leaves(A, Kind, Leaves),
    agg_trees(As, Kind, T, Tail).

% The aggregation core of a group: its core nearest the root, the lowest id among equals.
aggregation_core(Root, Cores, Lat, Agg) :-
    findall(L-C, ( member(C, Cores), fast_latency(Root, C, L) ), Ps),
    msort(Ps, [Lat-Agg|_]).

leaves_by_latency(From, Cores, Leaves) :-
    findall(s(Lat, 0, C, x), ( member(C, Cores), fast_latency(From, C, Lat) ), Ps0),
    sort_by_latency(Ps0, Ps),
    leaf_trees(Ps, Leaves).

leaf_trees([], []).
leaf_trees([s(_, _, C, _)|T], [mc(C, [])|T1]) :- leaf_trees(T, T1).

% Decreasing latency; among equal latencies, ascending group then core id. Items are
% s(Latency, Group, Core, Extra).
sort_by_latency(Ps0, Ps) :-
    msort(Ps0, Up),
    % Descending on the latency alone: sort/4 keeps equal keys in order, so ties stay ascending.
    sort(1, @>=, Up, Ps).

% Every core of a group is on the group's node, so an edge's buffer node is its receiver's node.
numa_annotate([], []).
numa_annotate([mc(C, Kids)|T], [mcn(C, Node, Kids1)|T1]) :-
    group_of(node, C, Node),
    numa_annotate(Kids, Kids1),
    numa_annotate(T, T1).

%!  multicast_routes(+Root, -Routes) is det.
%   The tree as From-To edges in send order, breadth-first (what each monitor needs to forward).
multicast_routes(Root, Routes) :-
    multicast_tree(Root, Tree),
    tree_routes([Tree], Routes).

tree_routes([], []).
tree_routes([mc(C, Kids)|T], Routes) :-
    findall(C-K, member(mc(K, _), Kids), Here),
    append(T, Kids, Next),
    tree_routes(Next, Rest),
    append(Here, Rest, Routes).

%!  multicast_all_roots(-Trees) is det.  Root-Tree for every core (the benchmark's query).
multicast_all_roots(Trees) :-
    ensure_prepared,
    cores(Cs),
    findall(R-T, ( member(R, Cs), group_tree(R, package, Ch), T = mc(R, Ch) ), Trees).
