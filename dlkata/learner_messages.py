"""Messages of the learner's commands (progress, watch, reset, solution, figures, training), ja and en.

Merged into i18n.MESSAGES, so they are read with i18n.t() like every other message.
"""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
