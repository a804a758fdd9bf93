//! Login: account name and masked password; on a database with no accounts, the form for the
//! first account instead ([`super::first_account`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;

use crate::tui::core::{Cx, Done, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::centered;
use crate::tui::screens::Transition;
use crate::tui::text::{clean, pad};
use crate::tui::theme;

/// The login form.
#[derive(Debug, Clone, Default)]
pub struct LoginState {
    pub name: LineInput,
    pub password: LineInput,
    /// The password field has the focus.
    pub on_password: bool,
    /// The database holds the demo round: show its logins.
    pub demo: bool,
    /// No accounts yet: the first-account form (and the demo offer) instead of the login.
    pub setup: Option<super::first_account::FirstAccount>,
}

impl LoginState {
    /// An empty form; on the demo database it shows the demo logins.
    pub fn for_store(store: &crate::store::Store) -> Self {
        LoginState {
            demo: store.meta("demo").ok().flatten().as_deref() == Some("true"),
            setup: super::first_account::FirstAccount::for_store(store),
            ..LoginState::default()
        }
    }

    /// Where the keys go: the login form or the first-account form.
    pub fn context(&self) -> crate::tui::keymap::Context {
        if let Some(s) = &self.setup {
            if s.empty {
                crate::tui::keymap::Context::FirstAccountOrDemo
            } else {
                crate::tui::keymap::Context::FirstAccount
            }
        } else {
            crate::tui::keymap::Context::Login
        }
    }

    /// The user chose to load the demo round from the first-account form.
    pub fn demo_requested(&self) -> bool {
        self.setup.as_ref().is_some_and(|s| s.demo_requested)
    }

    pub fn focused(&mut self) -> &mut LineInput {
        if let Some(s) = &mut self.setup {
            return s.focused();
        }
        if self.on_password {
            &mut self.password
        } else {
            &mut self.name
        }
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        if let Some(s) = &mut self.setup {
            return s.handle(env, action, typed, cx);
        }
        match action {
            Action::Type => {
                if let Some(c) = typed {
                    self.focused().insert(c);
                }
            }
            Action::DeleteChar => self.focused().backspace(),
            Action::CursorLeft => self.focused().left(),
            Action::CursorRight => self.focused().right(),
            Action::NextField => self.on_password = !self.on_password,
            Action::Accept if !self.on_password => self.on_password = true,
            Action::Accept => return self.log_in(env, cx),
            _ => {}
        }
        Transition::Stay
    }

    /// Ask the runtime to log in with what was typed (answered in [`LoginState::on_done`]).
    fn log_in(&mut self, env: &mut Env, cx: &mut Cx) -> Transition {
        let name = self.name.value().trim().to_string();
        if name.is_empty() {
            self.on_password = false;
            env.error(Text::new("请输入账号", "type the account name"));
            return Transition::Stay;
        }
        // In a scoring package the password is the one-time code, typed however it reads.
        let password = match env.package {
            Some(_) => crate::domain::package::normalize_code(self.password.value()),
            None => self.password.value().to_string(),
        };
        cx.ask(Effect::LogIn { name, password });
        Transition::Stay
    }

    /// The store's answer to a login (or to the first account's creation): home, or the
    /// refusal with the password cleared.
    pub fn on_done(&mut self, env: &mut Env, done: Done, cx: &mut Cx) -> Transition {
        match done {
            Done::LoggedIn(Ok(user)) => {
                env.user = Some(user);
                cx.ask(Effect::GoHome);
            }
            Done::LoggedIn(Err(t)) => {
                self.password.clear();
                env.error(t);
            }
            Done::FirstAccount { name, result } => {
                if let Some(s) = &mut self.setup {
                    s.on_done(env, &name, result, cx);
                }
            }
            _ => {}
        }
        Transition::Stay
    }
}

const FIELD: usize = 28;

pub fn view(s: &LoginState, env: &Env, f: &mut Frame, area: Rect) {
    if let Some(setup) = &s.setup {
        super::first_account::view(setup, env, f, area);
        return;
    }
    let r = centered(area, 48, if s.demo { 11 } else { 9 });
    let label_w = 10;
    let field = |label: &str, input: &LineInput, mask: Option<char>, focus: bool| {
        let (shown, _) = input.visible(FIELD, mask);
        let marker = if focus { "▶" } else { " " };
        Line::from(format!(
            "{marker} {}[{}]",
            pad(label, label_w),
            pad(&shown, FIELD)
        ))
    };
    let title = clean(env.t(&env.criteria.round.title_zh, &env.criteria.round.title_en));
    let mut lines = vec![
        Line::styled(title, theme::header()),
        Line::from(""),
        field(env.t("账号", "Account"), &s.name, None, !s.on_password),
        field(
            env.t("密码", "Password"),
            &s.password,
            Some('*'),
            s.on_password,
        ),
        Line::from(""),
        Line::styled(
            env.t(
                "Tab 切换  Enter 登录  F2 中/英",
                "Tab switch  Enter log in  F2 中/EN",
            ),
            theme::dim(),
        ),
    ];
    if s.demo {
        lines.push(Line::styled(
            env.t(
                "演示数据：ministry、clerk、expert01…",
                "Demo data: ministry, clerk, expert01…",
            ),
            theme::dim(),
        ));
        lines.push(Line::styled(
            env.t(
                "official-zhejiang…，密码均为 demo",
                "official-zhejiang…; password demo",
            ),
            theme::dim(),
        ));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(env.t(" 登录 ", " Log in "))),
        r,
    );
    // Cursor in the focused field: border + marker + space + label + '['.
    let input = if s.on_password { &s.password } else { &s.name };
    let mask = s.on_password.then_some('*');
    let (_, cur) = input.visible(FIELD, mask);
    let x = r.x + 1 + 2 + label_w as u16 + 1 + cur as u16;
    let y = r.y + 1 + if s.on_password { 3 } else { 2 };
    if x < r.right() && y < r.bottom() {
        f.set_cursor_position((x, y));
    }
}
