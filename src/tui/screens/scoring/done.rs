//! What the runtime reports back to the sheet (`Msg::Done`): points, opinion and
//! recommendation stored or refused, the sheet submitted, a recusal, and the expert's list
//! read again on the way back to it.

use crate::domain::Text;

use crate::tui::core::{Cx, Done, Effect, Env};
use crate::tui::screens::expert_list::{ExpertListState, recused_text};
use crate::tui::screens::{Screen, Transition};

use super::update::saved_text;
use super::*;

impl ScoringState {
    /// The result of an effect the sheet asked for. A refusal keeps everything typed (the
    /// points field, the opinion editor) and says why; nothing moves.
    pub fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        match done {
            Done::ScoreSaved {
                code,
                criterion,
                points,
                result,
            } if code == self.code => {
                let then = self.after_save.take();
                match result {
                    Ok(sheet) => {
                        self.sheet = sheet;
                        self.entry.clear();
                        if let Some(c) = env.criteria.rubric.criterion(&criterion).cloned() {
                            env.info(saved_text(&c, points));
                        }
                        if let Some(then) = then {
                            self.then(env, cx, then);
                        }
                    }
                    Err(e) => env.error(e),
                }
            }
            Done::OpinionSet {
                code,
                opinion,
                recommend,
                result,
            } if code == self.code => match result {
                Ok(sheet) => {
                    self.sheet = sheet;
                    if opinion.is_some() {
                        self.opinion = None;
                        env.info(Text::new("评审意见已保存", "opinion saved"));
                    } else if let Some(yes) = recommend {
                        env.info(if yes {
                            Text::new("已选择：推荐", "set: recommend")
                        } else {
                            Text::new("已选择：不推荐", "set: do not recommend")
                        });
                    }
                }
                Err(e) => env.error(e),
            },
            Done::Submitted { code, result } if code == self.code => match result {
                Ok(()) => {
                    env.info(Text::new(
                        format!("评分表已提交：{code}"),
                        format!("sheet submitted: {code}"),
                    ));
                    cx.ask(Effect::ReloadList);
                }
                Err(e) => env.error(e),
            },
            Done::Recused { code, result } if code == self.code => match result {
                Ok(replacement) => {
                    env.info(recused_text(&code, replacement.as_deref()));
                    cx.ask(Effect::ReloadList);
                }
                Err(e) => env.error(e),
            },
            // Only the way back asks for the list: go there, cursor and filter as they were.
            Done::ListLoaded(Ok(rows)) => {
                let list = match self.list.take() {
                    Some(mut l) => {
                        l.set_rows(env, rows);
                        *l
                    }
                    None => {
                        let today = rows.today;
                        let mut l = ExpertListState::from_rows(env, rows.rows);
                        l.today = Some(today);
                        l
                    }
                };
                return Transition::Goto(Screen::ExpertList(list));
            }
            Done::ListLoaded(Err(e)) => env.error(e),
            // A result for another sheet (none is asked for while this one is open).
            _ => {}
        }
        Transition::Stay
    }
}
