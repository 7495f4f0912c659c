% Core placement for a set of domains. Placement = [Domain-Core, ...] in the order of Domains; with
% more domains than cores the order wraps around.
%   compact: fill a package before the next, SMT siblings together (cores by package, core, thread).
%   spread:  one domain per package in turn, distinct physical cores before SMT siblings.
%   cache:   the domains on cores sharing the lowest-level cache that holds them all (they talk
%            through it); if no cache is shared by that many cores, fill cache-sharing groups in order.

%!  place_domains(+Policy, +Domains, -Placement) is det.
place_domains(Policy, Domains, Placement) :-
    must_be(list, Domains),
    must_be(oneof([compact, spread, cache]), Policy),
    length(Domains, N),
    placement_order(Policy, N, Order),
    Order \== [],
    length(Order, Len),
    findall(D-C, ( nth0(I, Domains, D), J is I mod Len, nth0(J, Order, C) ), Placement).

core_key(C, P-K-T-C) :-
    (   core_physical(C, P, K, T) -> true ; core_package(C, P), K = C, T = 0 ).

placement_order(compact, _, Order) :-
    findall(Key, ( core(C, _), core_key(C, Key) ), Keys),
    msort(Keys, Sorted),
    findall(C, member(_-_-_-C, Sorted), Order).
placement_order(spread, _, Order) :-
    % Rank each core within its package (by thread, then physical core), then take rank 0 of every
    % package, rank 1 of every package, ...
    findall(P, ( core(C, _), core_package(C, P) ), Ps0), sort(Ps0, Ps),
    findall(R-P-C,
            ( member(P, Ps),
              findall(T-K-C1, ( core(C1, _), core_package(C1, P), core_key(C1, P-K-T-C1) ), L0),
              msort(L0, L),
              nth0(R, L, _-_-C) ),
            Ranked),
    msort(Ranked, Sorted),
    findall(C, member(_-_-C, Sorted), Order).
placement_order(cache, N, Order) :-
    (   smallest_sharing_cache(N, Cores)
    ->  placement_order(compact, N, All),
        include([C]>>memberchk(C, Cores), All, Order)
    ;   cache_group_order(Order)
    ).

% Cores whose threads share one data/unified cache, for the lowest level (then smallest cache) that
% has at least N cores in one instance; the instance with the lowest first core wins among equals.
smallest_sharing_cache(N, Cores) :-
    findall(L-S-First-Cs,
            ( cache(L, Type, S, Ts), Type \== instruction,
              findall(C, ( core(C, T), memberchk(T, Ts) ), Cs0), sort(Cs0, Cs),
              length(Cs, Len), Len >= N, Cs = [First|_] ),
            Found),
    msort(Found, [_-_-_-Cores|_]).

% Every core, grouped by the largest-level shared cache it is in, groups in order of first core.
cache_group_order(Order) :-
    placement_order(compact, 0, All),
    (   findall(L, ( cache(L, T, _, _), T \== instruction ), Ls), Ls \== []
    ->  max_list(Ls, Top),
        findall(C, ( cache(Top, T, _, Ts), T \== instruction, member(C0, All), core(C0, Th),
                     memberchk(Th, Ts), C = C0 ), Grouped0),
        list_to_set(Grouped0, Grouped),
        subtract(All, Grouped, Rest),
        append(Grouped, Rest, Order)
    ;   Order = All
    ).
