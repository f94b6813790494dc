"""Every message a learner reads, in Japanese and English, keyed by name: read with i18n.t()."""
from __future__ import annotations

_LEARNER: dict[str, dict[str, str]] = {
    # report / test
    "at": {"en": "at", "ja": "場所:"},
    "broken_head": {"en": "{path} cannot be imported, so its {n} katas cannot run ({ids}):",
                    "ja": "{path} を読み込めないため、その {n} 個のカタを実行できません ({ids}):"},
    "broken_in": {"en": "the line is in {id}'s code: fix it and run again (the other files' katas still run)",
                  "ja": "この行は {id} のコードの中です。直してからもう一度実行しましょう (他のファイルのカタは実行されています)"},
    "broken_fix": {"en": "fix that line and run again (the other files' katas still run)",
                   "ja": "この行を直してからもう一度実行しましょう (他のファイルのカタは実行されています)"},
    # progress
    "p_no_katas": {"en": "(no katas yet)", "ja": "(カタはまだありません)"},
    "p_overall": {"en": "Overall", "ja": "全体"},
    "p_points": {"en": "katas, {got}/{points} points ({pct}%)", "ja": "カタ, {got}/{points} 点 ({pct}%)"},
    "p_continue": {"en": "next: {id} — {title} ({state}); details: make test {chapter}; stuck? make hint {id}",
                   "ja": "次は {id} — {title} ({state})。詳細: make test {chapter}、困ったら make hint {id}"},
    "p_nothing_next": {"en": "Every kata that has tests is done; the others have no tests yet.",
                       "ja": "テストのあるカタはすべて完了です。残りはまだテストがありません。"},
    "p_summary": {"en": "done {done}, failing {failing}, not started {todo}, blocked {blocked}, cannot import {broken}, "
                        "no tests {notest}  ({secs:.1f} s)",
                  "ja": "完了 {done}, 失敗 {failing}, 未着手 {todo}, 待ち {blocked}, 読み込めない {broken}, "
                        "テストなし {notest}  ({secs:.1f} 秒)"},
    # watch
    "w_watching": {"en": "watching {path}: save a file to re-run; Enter re-runs now; q then Enter quits",
                   "ja": "{path} を監視中: 保存すると再実行、Enter ですぐ再実行、q と Enter で終了"},
    "w_changed": {"en": "changed: {files}", "ja": "変更: {files}"},
    "w_bye": {"en": "stopped watching", "ja": "監視を終了しました"},
    # reset
    "r_need": {"en": "name a kata or a chapter, e.g. make reset ch05.affine",
               "ja": "カタか章を指定してください。例: make reset ch05.affine"},
    "r_what_kata": {"en": "reset {id} ({title}): {symbols} in {path} go back to the original stub; "
                          "the rest of the file stays as it is",
                    "ja": "{id} ({title}) をリセット: {path} の {symbols} を最初のスタブに戻します。ファイルの他の部分はそのままです"},
    "r_what_file": {"en": "reset {path} to the original stubs", "ja": "{path} を最初のスタブに戻します"},
    "r_confirm": {"en": "Your current files are saved first. Continue? [y/N] ",
                  "ja": "今のファイルは先に保存されます。続けますか? [y/N] "},
    "r_cancelled": {"en": "nothing changed", "ja": "何も変更していません"},
    "r_nothing": {"en": "{target} is already the original stub: nothing to reset",
                  "ja": "{target} はすでに最初のスタブのままです。リセットするものはありません"},
    "r_saved": {"en": "your previous file is saved as {path}", "ja": "以前のファイルを {path} に保存しました"},
    "r_done": {"en": "reset {target}: run `make test {chapter}` to see it not started again",
               "ja": "{target} をリセットしました。`make test {chapter}` で未着手に戻ったことを確かめられます"},
    "r_reference": {"en": "{path} is the reference, not a learner's tree: refusing to reset it",
                    "ja": "{path} は模範解答で、学習者のツリーではありません。リセットしません"},
    "r_no_tty": {"en": "no answer on the terminal: nothing changed (FORCE=1 resets without asking)",
                 "ja": "端末から回答がないため何も変更していません (FORCE=1 なら確認なしでリセット)"},
    # solution
    "s_need_kata": {"en": "name one kata, e.g. make solution {example}", "ja": "カタを 1 つ指定してください。例: make solution {example}"},
    "s_head": {"en": "Reference for {id} ({title}, §{section}), from solutions/{path}; yours is in {mine}:",
               "ja": "{id} ({title}, §{section}) の模範解答 (solutions/{path})。あなたのコードは {mine} にあります:"},
    "s_not_yet": {"en": "{id} is not done yet ({state}): its reference opens once its tests pass on your code.",
                  "ja": "{id} はまだ完了していません ({state})。テストがあなたのコードで通ると模範解答を見られます。"},
    "s_no_tests": {"en": "{id} has no tests yet, so its reference stays closed.",
                   "ja": "{id} にはまだテストがないため、模範解答は見られません。"},
    # figures
    "f_none": {"en": "no figures for {chapters}; chapters with figures: {have}",
               "ja": "{chapters} には図がありません。図のある章: {have}"},
    "f_wrote": {"en": "wrote {path}  ({title}, §{section})", "ja": "{path} を書き出しました ({title}, §{section})"},
    "f_partial": {"en": "  parts wait on {katas} (not done yet): they show as empty panels",
                  "ja": "  {katas} がまだなので、その部分は空欄です"},
    "f_skipped": {"en": "skipped {id} ({title}, §{section}): it needs {katas}, not done yet (make test {chapter})",
                  "ja": "{id} ({title}, §{section}) は飛ばしました: {katas} がまだです (make test {chapter})"},
    "f_failed": {"en": "could not draw {id} ({title}): {type}: {message}",
                 "ja": "{id} ({title}) を描けませんでした: {type}: {message}"},
    "f_where": {"en": "figures are in {path}", "ja": "図は {path} にあります"},
    "f_no_mpl": {"en": "matplotlib is needed for figures: `make figures` installs it (or pip install matplotlib)",
                 "ja": "図には matplotlib が必要です: `make figures` で入ります (または pip install matplotlib)"},
    "f_panel_todo": {"en": "{kata}\nnot written yet", "ja": "{kata}\nまだ書かれていません"},
    "f_panel_stopped": {"en": "training stopped (Ctrl-C)", "ja": "学習を中断しました (Ctrl-C)"},
    # training
    "t_stopped": {"en": "stopped at step {step}/{total}: keeping what was learned so far",
                  "ja": "{total} ステップ中 {step} で中断しました。ここまでの学習結果はそのまま使えます"},
    "t_loss": {"en": "loss", "ja": "loss"},
}

_RUNNER: dict[str, dict[str, str]] = {
    "done": {"en": "done", "ja": "完了"},
    "failing": {"en": "failing", "ja": "失敗"},
    "todo": {"en": "not started", "ja": "未着手"},
    "blocked": {"en": "blocked by {by}", "ja": "{by} 待ち"},
    "broken": {"en": "cannot import", "ja": "読み込めない"},
    "notest": {"en": "no tests", "ja": "テストなし"},
    "tests": {"en": "{passed}/{total} tests", "ja": "テスト {passed}/{total}"},
    "hint_cmd": {"en": "hint: make hint {id}", "ja": "ヒント: make hint {id}"},
    "still_stub": {"en": "{what} still raises NotImplementedError", "ja": "{what} はまだ NotImplementedError を送出しています"},
    "start_here": {"en": "next: {id} — {title}: write it in {path} (§{section}); stuck? make hint {id}",
                   "ja": "次は {id} — {title}: {path} に書きましょう (§{section})。困ったら make hint {id}"},
    "summary": {"en": "{n} katas: {done} done, {failing} failing, {todo} not started, {blocked} blocked{broken}  ({secs:.1f} s)",
                "ja": "{n} 個のカタ: 完了 {done}, 失敗 {failing}, 未着手 {todo}, 待ち {blocked}{broken}  ({secs:.1f} 秒)"},
    "broken_count": {"en": ", {n} cannot import", "ja": ", 読み込めない {n}"},
    "all_done": {"en": "All done. Well done!", "ja": "すべて完了です。お見事!"},
    "more_detail": {"en": "full tracebacks: make test {sel} V=1", "ja": "詳しいトレースバック: make test {sel} V=1"},
    "blocked_note": {"en": "finish {by} first", "ja": "先に {by} を仕上げましょう"},
    "hint_head": {"en": "Hint {n}/{total} for {id} ({title}, §{section}):",
                  "ja": "{id} のヒント {n}/{total} ({title}, §{section}):"},
    "hint_last": {"en": "(that was the last hint; `make hint {id} RESTART=1` starts over)",
                  "ja": "(これが最後のヒントです。`make hint {id} RESTART=1` で最初から)"},
    "unknown": {"en": "unknown chapter or kata: {w} (try: make progress)",
                "ja": "そのような章やカタはありません: {w} (make progress で一覧)"},
}

MESSAGES: dict[str, dict[str, str]] = {**_RUNNER, **_LEARNER}
