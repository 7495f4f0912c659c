% Derived topology: where a shoal core is (package, NUMA node, physical core), which caches two cores
% share, how far apart their nodes are, and the round trip between them (measured if known, else the
% board's model). Every query program builds on these.

%!  core_package(?Core, ?Package) is nondet.
core_package(C, P) :- core(C, A), A \== unknown, cpu_thread(A, P, _, _).
core_package(C, 0) :- core(C, unknown).

%!  core_node(?Core, ?Node) is nondet.  A core whose thread has no node is on node 0.
core_node(C, N) :-
    core(C, A),
    (   A \== unknown, cpu_node(A, N0) -> N = N0 ; N = 0 ).

%!  core_physical(?Core, -Package, -PhysCore, -Thread) is nondet.
core_physical(C, P, K, T) :- core(C, A), A \== unknown, cpu_thread(A, P, K, T).

%!  cores(-Cores) is det.  Every shoal core id, ascending.
cores(Cs) :- findall(C, core(C, _), Cs0), sort(Cs0, Cs).

%!  package_cores(?Package, -Cores) is nondet.  The cores of a package, ascending.
package_cores(P, Cs) :-
    setof(C, core_package(C, P), Cs).

%!  node_cores(?Node, -Cores) is nondet.
node_cores(N, Cs) :-
    setof(C, core_node(C, N), Cs).

%!  shared_cache(+A, +B, -Level) is semidet.
%   The lowest level of a data or unified cache both cores' threads share.
shared_cache(A, B, Level) :-
    core(A, TA), core(B, TB), TA \== unknown, TB \== unknown,
    findall(L, ( cache(L, Type, _, Ts), Type \== instruction,
                 memberchk(TA, Ts), memberchk(TB, Ts) ), Ls),
    Ls \== [],
    min_list(Ls, Level).

%!  hops(+NodeA, +NodeB, -Hops) is det.
%   Interconnect hops; without node_hops facts, 0 on one node and 1 between two.
hops(A, B, H) :- node_hops(A, B, H0), !, H = H0.
hops(A, A, 0) :- !.
hops(_, _, 1).

%!  core_hops(+A, +B, -Hops) is det.
core_hops(A, B, H) :- core_node(A, NA), core_node(B, NB), hops(NA, NB, H).

%!  relation(+A, +B, -Relation) is det.
%   How two cores relate, closest first: same_core, smt_sibling, same_thread (two shoal cores likely
%   on one host thread), shared_cache(Level), same_package, remote(Hops).
relation(A, A, same_core) :- !.
relation(A, B, smt_sibling) :-
    core_physical(A, P, K, _), core_physical(B, P, K, _), core(A, TA), core(B, TB), TA \== TB, !.
relation(A, B, same_thread) :- core(A, T), core(B, T), T \== unknown, !.
relation(A, B, shared_cache(L)) :- shared_cache(A, B, L), !.
relation(A, B, same_package) :- core_package(A, P), core_package(B, P), !.
relation(A, B, remote(H)) :- core_hops(A, B, H).

% The round-trip model when a board gives none (this machine before measurement), in ns.
default_rtt_model(smt, 150).
default_rtt_model(shared_cache, 300).
default_rtt_model(same_package, 450).
default_rtt_model(remote, 700).
default_rtt_model(per_hop, 100).

rtt_param(K, V) :- rtt_model(K, V0), !, V = V0.
rtt_param(smt, V) :- !, rtt_param(shared_cache, V1), default_rtt_model(smt, V2), V is min(V1, V2).
rtt_param(K, V) :- default_rtt_model(K, V).

%!  model_rtt(+A, +B, -Ns) is det.  The modelled round trip between two cores.
model_rtt(A, B, Ns) :-
    relation(A, B, R),
    (   R == same_core -> Ns = 0
    ;   ( R == smt_sibling ; R == same_thread ) -> rtt_param(smt, Ns)
    ;   R = shared_cache(_) -> rtt_param(shared_cache, Ns)
    ;   R == same_package -> rtt_param(same_package, Ns)
    ;   R = remote(H), H =< 0 -> rtt_param(same_package, Ns)
    ;   R = remote(H), rtt_param(remote, Base), rtt_param(per_hop, Per),
        Ns is Base + (H - 1) * Per
    ).

%!  latency(+A, +B, -Ns) is det.  The measured average round trip if known, else the model.
latency(A, B, Ns) :- message_rtt(A, B, Avg, _, _, _), !, Ns = Avg.
latency(A, B, Ns) :- model_rtt(A, B, Ns).

%!  skb_assert_modelled_rtts is det.
%   Asserts message_rtt/6 for every ordered pair of distinct cores that has none, from the model
%   (variance 0, min = max = avg), so queries run offline the same way as on measured facts.
skb_assert_modelled_rtts :-
    cores(Cs),
    forall(( member(A, Cs), member(B, Cs), A \== B, \+ message_rtt(A, B, _, _, _, _) ),
           ( model_rtt(A, B, Ns), assertz(message_rtt(A, B, Ns, 0, Ns, Ns)) )),
    (   rtt_origin(_) -> true ; assertz(rtt_origin(modelled)) ).

% --- prepared tables -------------------------------------------------------------------------------
% The queries group cores by package and by NUMA node, and look up the round trip between two cores,
% many times per answer. The groups and a round-trip table keyed by one integer (first-argument
% hashing, where message_rtt/6 with two bound arguments scans a core's whole row) are computed once
% from the facts. They are rebuilt whenever a fact they derive from has changed since: each watched
% predicate's last-modified generation is recorded with the tables and compared on use.

:- dynamic skb_group/3.      % skb_group(Kind, Group, Cores): Kind = package | node, Cores ascending
:- dynamic skb_core_group/3. % skb_core_group(Kind, Core, Group)
:- dynamic skb_lat/2.        % skb_lat(From << 16 \/ To, Ns): latency/3 of every ordered pair
:- dynamic skb_prepared/1.   % skb_prepared(Generations) of the watched predicates

skb_watched(core(_, _)).
skb_watched(cpu_thread(_, _, _, _)).
skb_watched(cpu_node(_, _)).
skb_watched(cache(_, _, _, _)).
skb_watched(node_hops(_, _, _)).
skb_watched(message_rtt(_, _, _, _, _, _)).
skb_watched(rtt_model(_, _)).

skb_generations(Gs) :-
    findall(G, ( skb_watched(H),
                 (   predicate_property(H, last_modified_generation(G0)) -> G = G0 ; G = 0 ) ),
            Gs).

%!  skb_prepare is det.
skb_prepare :-
    retractall(skb_group(_, _, _)),
    retractall(skb_core_group(_, _, _)),
    retractall(skb_lat(_, _)),
    retractall(skb_prepared(_)),
    forall(package_cores(P, Cs),
           ( assertz(skb_group(package, P, Cs)),
             forall(member(C, Cs), assertz(skb_core_group(package, C, P))) )),
    forall(node_cores(N, Cs),
           ( assertz(skb_group(node, N, Cs)),
             forall(member(C, Cs), assertz(skb_core_group(node, C, N))) )),
    cores(All),
    forall(( member(A, All), member(B, All) ),
           ( latency(A, B, L), K is A << 16 \/ B, assertz(skb_lat(K, L)) )),
    % multicast.pl's per-core plans, from the tables above.
    mc_prepare,
    skb_generations(Gs),
    assertz(skb_prepared(Gs)).

ensure_prepared :- skb_prepared(Gs), skb_generations(Gs), !.
ensure_prepared :- skb_prepare.

%!  fast_latency(+A, +B, -Ns) is det.  latency/3 from the prepared table (call ensure_prepared first).
fast_latency(A, B, Ns) :- K is A << 16 \/ B, skb_lat(K, Ns0), !, Ns = Ns0.
fast_latency(A, B, Ns) :- latency(A, B, Ns).

%!  group_of(+Kind, +Core, -Group) is semidet.
group_of(Kind, C, G) :- skb_core_group(Kind, C, G0), !, G = G0.
