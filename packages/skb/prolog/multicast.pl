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

group_tree(Root, Kind, Children) :-
    group_of(Kind, Root, RootGroup),
    findall(s(Lat, G, Agg, Rest),
            ( skb_group(Kind, G, Cores), G \== RootGroup,
              aggregation_core(Root, Cores, Lat, Agg),
              exclude(==(Agg), Cores, Rest) ),
            Remote0),
    sort_by_latency(Remote0, Remote),
    findall(mc(Agg, Leaves),
            ( member(s(_, _, Agg, Rest), Remote), leaves_by_latency(Agg, Rest, Leaves) ),
            RemoteTrees),
    skb_group(Kind, RootGroup, RootCores),
    exclude(==(Root), RootCores, Local),
    leaves_by_latency(Root, Local, LocalLeaves),
    append(RemoteTrees, LocalLeaves, Children).

% The aggregation core of a group: its core nearest the root, the lowest id among equals.
aggregation_core(Root, Cores, Lat, Agg) :-
    findall(L-C, ( member(C, Cores), latency(Root, C, L) ), Ps),
    msort(Ps, [Lat-Agg|_]).

leaves_by_latency(From, Cores, Leaves) :-
    findall(s(Lat, 0, C, x), ( member(C, Cores), latency(From, C, Lat) ), Ps0),
    sort_by_latency(Ps0, Ps),
    findall(mc(C, []), member(s(_, _, C, _), Ps), Leaves).

% Decreasing latency; among equal latencies, ascending group then core id. Items are
% s(Latency, Group, Core, Extra).
sort_by_latency(Ps0, Ps) :-
    msort(Ps0, Up),
    % Descending on the latency alone: sort/4 keeps equal keys in order, so ties stay ascending.
    sort(1, @>=, Up, Ps).

% Every core of a group is on the group's node, so an edge's buffer node is its receiver's node.
numa_annotate([], []).
numa_annotate([mc(C, Kids)|T], [mcn(C, Node, Kids1)|T1]) :-
    core_node(C, Node),
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
    cores(Cs),
    findall(R-T, ( member(R, Cs), multicast_tree(R, T) ), Trees).
