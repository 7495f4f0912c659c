% The SKB engine's own predicates: run a query or load a program in one call from JavaScript, catch
% every error, enforce the time limit, and hand the answers back as one JSON text (so the TypeScript
% side decodes atoms, strings, big integers and compound terms without ambiguity, in one crossing).
:- module(skb_runtime, [skb_run/5, skb_load/4, skb_json/2, skb_calibrate/3, skb_restored/1]).

:- dynamic skb_collecting/0.
:- dynamic skb_diag/4.

% --- time limit ------------------------------------------------------------------------------------
% There is no timer thread in WebAssembly: the deadline is checked on the engine's heartbeat (every
% 10000 inferences), which fires on redo-heavy code; a budget of inferences, sized by the caller from
% the engine's measured speed, stops deterministic loops the heartbeat does not reach.

skb_check_deadline :-
    (   nb_current(skb_deadline, D), number(D), get_time(T), T > D
    ->  throw(skb_time_limit)
    ;   true
    ).

:- initialization(skb_install_heartbeat).

skb_install_heartbeat :-
    (   catch(wrap_predicate(prolog:heartbeat, skb_deadline, W, (skb_runtime:skb_check_deadline, W)), _, fail)
    ->  true
    ;   true
    ),
    set_prolog_flag(heartbeat, 10000),
    % A runaway recursion should fail fast with a resource error, not grow the wasm heap to 1 GB.
    set_prolog_flag(stack_limit, 67108864),
    nb_setval(skb_deadline, none).

%!  skb_restored(-Reply) is det.
%   Called once after the engine restored the SKB's saved state (`swipl -x`): initialization/1 goals
%   of the loaded files do not run again on a restore, so the heartbeat and limits are set here.
%   qsave_program saves with autoloading off, under which undefined predicates do not reach the
%   exception hook below that stands in for it: it is switched back on.
skb_restored('restored(ok)') :-
    set_prolog_flag(autoload, true),
    skb_install_heartbeat.

% A restored state has no library files to autoload from (the bundle without data): a predicate that
% is undefined but exported by a library module loaded into the state is imported from there, as the
% autoloader would have done. The plain start autoloads first, so this hook is not reached there.
:- multifile user:exception/3.
:- dynamic user:exception/3.
% (The predicate comes as Name/Arity for module user, as Module:Name/Arity for the others.)
user:exception(undefined_predicate, Pred, retry) :-
    (   Pred = M:Name/Arity
    ->  true
    ;   Pred = Name/Arity, M = user
    ),
    skb_runtime:skb_library_import(M, Name, Arity).

skb_library_import(M, Name, Arity) :-
    module_property(L, class(library)),
    L \== M,
    module_property(L, exports(Exports)),
    memberchk(Name/Arity, Exports),
    !,
    @(import(L:Name/Arity), M).

skb_limited(Goal, LimitS, Inferences) :-
    get_time(T0),
    D is T0 + LimitS,
    setup_call_cleanup(
        nb_setval(skb_deadline, D),
        call_with_inference_limit(Goal, Inferences, R),
        nb_setval(skb_deadline, none)),
    (   R == inference_limit_exceeded
    ->  throw(skb_time_limit)
    ;   true
    ).

% halt/0,1 would end the WebAssembly runtime for good (emscripten aborts): refuse it.
:- redefine_system_predicate(user:halt).
:- redefine_system_predicate(user:halt(_)).
user:halt :- skb_runtime:skb_refuse_halt.
user:halt(_) :- skb_runtime:skb_refuse_halt.
skb_refuse_halt :- throw(error(permission_error(halt, engine, skb), _)).

% --- queries ---------------------------------------------------------------------------------------

%!  skb_run(+QueryText, +InputText, +LimitS, +Options, -Json) is det.
%   Options = opts(MaxAnswers, Inferences).
skb_run(QText, InText, LimitS, opts(Max, Inf), Json) :-
    catch(skb_run_(QText, InText, LimitS, Max, Inf, Reply), E, Reply = error(E)),
    catch(skb_reply_json(Reply, Json), E2,
          ( format(string(M), "~q", [E2]),
            skb_reply_json(error(internal, M), Json) )).

skb_run_(QText, InText, LimitS, Max, Inf, answers(Names, Rows, More, Used)) :-
    statistics(inferences, I0),
    term_string(Goal, QText, [variable_names(Bindings)]),
    term_string(Inputs, InText),
    skb_bind_inputs(Inputs, Bindings),
    skb_output_names(Bindings, Inputs, Out),
    pairs_keys_values(Out, Names, Vars),
    Template =.. [row|Vars],
    Max1 is Max + 1,
    skb_limited(findall(Template, limit(Max1, user:Goal), All), LimitS, Inf),
    length(All, N),
    (   N > Max
    ->  More = true, length(Rows, Max), append(Rows, _, All)
    ;   More = false, Rows = All
    ),
    statistics(inferences, I1),
    Used is I1 - I0.

skb_bind_inputs([], _).
skb_bind_inputs([Name=Value|T], Bindings) :-
    (   memberchk(Name=Var, Bindings) -> Var = Value ; true ),
    skb_bind_inputs(T, Bindings).

% Variables named with a leading underscore and variables given as inputs are not reported, as the
% toplevel does.
skb_output_names([], _, []).
skb_output_names([Name=Var|T], Inputs, Out) :-
    (   ( sub_atom(Name, 0, 1, _, '_') ; memberchk(Name=_, Inputs) )
    ->  Out = Out1
    ;   Out = [Name-Var|Out1]
    ),
    skb_output_names(T, Inputs, Out1).

% --- loading ---------------------------------------------------------------------------------------

%!  skb_load(+Id, +Text, +LimitS, -Json) is det.
%   Loads Text as the source file Id into module user; syntax errors and other load errors are
%   collected with their line instead of printed.
skb_load(Id, Text, LimitS, Json) :-
    retractall(skb_diag(_, _, _, _)),
    setup_call_cleanup(
        assertz(skb_collecting),
        catch(skb_load_(Id, Text, LimitS), E, skb_note(error, E)),
        retractall(skb_collecting)),
    findall(diag(K, L, M, T), retract(skb_diag(K, L, M, T)), Diags),
    skb_reply_json(loaded(Diags), Json).

skb_load_(Id, Text, LimitS) :-
    setup_call_cleanup(
        open_string(Text, S),
        skb_limited(load_files(user:Id, [stream(S), silent(true), redefine_module(true)]), LimitS, 1000000000),
        close(S)).

skb_note(Kind, Term) :-
    (   Term = error(_, file(_, Line, _, _)) -> true
    ;   source_location(_, Line) -> true
    ;   Line = 0
    ),
    skb_message_text(Term, Msg),
    assertz(skb_diag(Kind, Line, Msg, Term)).

:- multifile user:message_hook/3.
user:message_hook(Term, Kind, _Lines) :-
    skb_collecting,
    (   Kind == error ; Kind == warning ),
    skb_note(Kind, Term).

skb_message_text(Term, Msg) :-
    (   catch(message_to_codes(Term, [], Codes), _, fail)
    ->  string_codes(Msg0, Codes), split_string(Msg0, "", "\n ", [Msg])
    ;   format(string(Msg), "~q", [Term])
    ).

message_to_codes(Term, _, Codes) :-
    '$messages':translate_message(Term, Lines, []),
    with_output_to(codes(Codes), print_message_lines(current_output, '', Lines)).

% --- replies ---------------------------------------------------------------------------------------
% A reply is one term written in canonical form (quoted atoms, functional notation, no operators) by
% a single C-level write; the TypeScript side parses that text (src/engine/canonical.ts). Measured:
% building JSON token by token in Prolog cost more than computing a 32-core multicast tree.
%   answers(Names, Rows, More, Inferences)   Rows: one list of values per answer
%   loaded(Diagnostics)                      diag(Kind, Line, Message, Term)
%   error(Ball, Message)
%   internal(Message)

skb_reply_json(Reply0, Text) :-
    skb_reply_term(Reply0, Reply),
    format(string(Text0), "~k", [Reply]),
    % A blob or a dict writes as <stream>(0x..) or _{..}, which the parser does not read; only then
    % (a '<' or '{' in the text) pay for a pass that turns them into strings.
    (   ( sub_string(Text0, _, _, _, "<") ; sub_string(Text0, _, _, _, "{") )
    ->  skb_writable(Reply, Reply1), format(string(Text), "~k", [Reply1])
    ;   Text = Text0
    ).

skb_reply_term(answers(Names, Rows0, More, Used), answers(Names, Rows, More, Used)) :- !,
    findall(Vals, ( member(Row, Rows0), Row =.. [_|Vals] ), Rows).
skb_reply_term(error(E), error(E1, Msg)) :- !,
    % The message leaves out the error's context: it names the wrapper's own predicates (limit/2).
    (   E = error(Formal, _) -> skb_message_text(error(Formal, _), Msg) ; skb_message_text(E, Msg) ),
    E1 = E.
skb_reply_term(error(internal, M), internal(M)) :- !.
skb_reply_term(R, R).

% Blobs (streams, clause references) and dicts have no canonical text the parser reads: as strings.
skb_writable(T, T) :- var(T), !.
% ([] is a blob too, of type reserved_symbol: it stays, or every list would end in a string "[]".)
skb_writable(T, S) :- blob(T, Type), Type \== text, Type \== reserved_symbol, !, format(string(S), "~q", [T]).
skb_writable(T, S) :- is_dict(T), !, format(string(S), "~q", [T]).
skb_writable(T, T1) :- compound(T), !,
    compound_name_arguments(T, F, As), maplist(skb_writable, As, As1),
    compound_name_arguments(T1, F, As1).
skb_writable(T, T).

skb_json(Reply, Text) :- skb_reply_json(Reply, Text).

% --- engine upkeep ---------------------------------------------------------------------------------

%!  skb_calibrate(+N, -Inferences, -Seconds) is det.
%   A deterministic loop the time-limit heartbeat does not interrupt; its speed sizes the inference
%   budget that stands in for the clock in such loops.
skb_calibrate(N, Inferences, Seconds) :-
    statistics(inferences, I0), get_time(T0),
    skb_count(N),
    statistics(inferences, I1), get_time(T1),
    Inferences is I1 - I0, Seconds is T1 - T0.

skb_count(0) :- !.
skb_count(N) :- N1 is N - 1, skb_count(N1).
