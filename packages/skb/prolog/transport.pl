% Transport selection for a channel between two cores: LRPC through the CPU driver when both ends
% are on one core, URPC (a shared-memory ring) otherwise. The reason says how the cores relate, and
% so what a message costs.

%!  transport(+A, +B, -Transport, -Reason) is det.
transport(A, B, Transport, Reason) :-
    core(A, _), core(B, _),
    relation(A, B, Relation),
    (   Relation == same_core -> Transport = lrpc ; Transport = urpc ),
    latency(A, B, Ns),
    Reason = because(Relation, Ns).
