/** The goal that loads the SKB runtime (prolog/runtime.pl, text in T) as module skb_runtime. */
export const BOOTSTRAP_GOAL =
  "setup_call_cleanup(open_string(T, S), load_files(skb_runtime_pl, [stream(S), silent(true)]), close(S))";
