//! The login screen on a database with no accounts: a form for the first ministry account
//! (name, password, password again), and on an empty database the offer to load the demo round
//! instead. A database that holds data (an import, say) but no accounts gets the form only.
//! Creating the account is the audited step of `shifan user add` ([`Store::add_account`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Text;
use crate::domain::access::User;
use crate::store::Store;
use crate::tui::core::{Cx, Effect, Env};
use crate::tui::input::LineInput;
use crate::tui::keymap::Action;
use crate::tui::popup::centered;
use crate::tui::screens::Transition;
use crate::tui::text::{clean, pad, wrap};
use crate::tui::theme;

/// The first-account form.
#[derive(Debug, Clone, Default)]
pub struct FirstAccount {
    pub name: LineInput,
    pub password: LineInput,
    pub again: LineInput,
    /// 0 name, 1 password, 2 password again.
    pub focus: usize,
    /// The database holds nothing at all: the demo round may be loaded instead.
    pub empty: bool,
    /// The database file, shown in full.
    pub db: String,
    /// The user chose the demo: the runner leaves the TUI, builds it and starts again.
    pub demo_requested: bool,
}

impl FirstAccount {
    /// The form for `store`, or `None` when it has accounts (or they cannot be read: the
    /// login then says why).
    pub fn for_store(store: &Store) -> Option<FirstAccount> {
        if store.has_accounts().unwrap_or(true) {
            return None;
        }
        // What `shifan demo` accepts: no accounts and no dossiers (read failures count as data).
        let empty = store.status_unchecked().is_ok_and(|s| s.dossiers == 0);
        Some(FirstAccount {
            empty,
            db: store
                .connection()
                .path()
                .map(str::to_string)
                .unwrap_or_default(),
            ..FirstAccount::default()
        })
    }

    pub fn focused(&mut self) -> &mut LineInput {
        match self.focus {
            0 => &mut self.name,
            1 => &mut self.password,
            _ => &mut self.again,
        }
    }

    pub fn handle(
        &mut self,
        env: &mut Env,
        action: Action,
        typed: Option<char>,
        cx: &mut Cx,
    ) -> Transition {
        match action {
            Action::Type => {
                if let Some(c) = typed {
                    self.focused().insert(c);
                }
            }
            Action::DeleteChar => self.focused().backspace(),
            Action::CursorLeft => self.focused().left(),
            Action::CursorRight => self.focused().right(),
            Action::NextField => self.focus = (self.focus + 1) % 3,
            Action::LoadDemo if self.empty => {
                self.demo_requested = true;
                return Transition::Quit;
            }
            Action::Accept if self.focus < 2 => self.focus += 1,
            Action::Accept => return self.create(env, cx),
            _ => {}
        }
        Transition::Stay
    }

    /// Check the form and ask for the account to be created (one audited step) and logged
    /// in with; the runtime's answer comes back to [`FirstAccount::on_done`].
    fn create(&mut self, env: &mut Env, cx: &mut Cx) -> Transition {
        let name = self.name.value().trim().to_string();
        if name.is_empty() {
            self.focus = 0;
            env.error(Text::new(
                "请输入账号名（例如 ministry）",
                "type the account name (for example ministry)",
            ));
            return Transition::Stay;
        }
        if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.focus = 0;
            env.error(Text::new(
                format!(
                    "账号名「{}」不能含空格：请只用字母、数字、- 或 _",
                    clean(&name)
                ),
                format!(
                    "the account name \"{}\" may not contain spaces: use letters, digits, - or _",
                    clean(&name)
                ),
            ));
            return Transition::Stay;
        }
        if self.password.value().is_empty() {
            self.focus = 1;
            env.error(Text::new("请输入密码", "type a password"));
            return Transition::Stay;
        }
        if self.password.value() != self.again.value() {
            self.password.clear();
            self.again.clear();
            self.focus = 1;
            env.error(Text::new(
                "两次输入的密码不一致：请重新输入两次",
                "the two passwords differ: type the password twice again",
            ));
            return Transition::Stay;
        }
        cx.ask(Effect::CreateFirstAccount {
            name,
            password: self.password.value().to_string(),
        });
        Transition::Stay
    }

    /// The account created and logged in with: go home, saying how to add the others.
    pub fn on_done(&mut self, env: &mut Env, name: &str, result: Result<User, Text>, cx: &mut Cx) {
        match result {
            Ok(user) => {
                env.user = Some(user);
                cx.ask(Effect::GoHome);
                env.info(Text::new(
                    format!("已创建部级账号 {name} 并登录；其他账号可用 shifan user add 添加"),
                    format!(
                        "ministry account {name} created and logged in; add others with shifan user add"
                    ),
                ));
            }
            Err(t) => env.error(t),
        }
    }
}

const FIELD: usize = 24;
const LABEL: usize = 16;

pub fn view(s: &FirstAccount, env: &Env, f: &mut Frame, area: Rect) {
    let w = area.width.min(72);
    let inner_w = w.saturating_sub(2) as usize;
    let field = |label: &str, input: &LineInput, mask: Option<char>, focus: bool| {
        let (shown, _) = input.visible(FIELD, mask);
        let marker = if focus { "▶" } else { " " };
        Line::from(format!(
            "{marker} {}[{}]",
            pad(label, LABEL),
            pad(&shown, FIELD)
        ))
    };
    let mut lines: Vec<Line> = Vec::new();
    let title = clean(env.t(&env.criteria.round.title_zh, &env.criteria.round.title_en));
    lines.push(Line::styled(title, theme::header()));
    let intro = env
        .lang
        .pick(
            &format!(
                "数据库 {} 中还没有账号。请创建第一个部级账号（之后可用 shifan user add 添加其他账号）：",
                clean(&s.db)
            ),
            &format!(
                "The database {} has no accounts yet. Create the first ministry account (add others later with shifan user add):",
                clean(&s.db)
            ),
        )
        .to_string();
    lines.extend(wrap(&intro, inner_w.max(1)).into_iter().map(Line::from));
    lines.push(Line::from(""));
    let fields_at = lines.len();
    lines.push(field(env.t("账号", "Account"), &s.name, None, s.focus == 0));
    lines.push(field(
        env.t("密码", "Password"),
        &s.password,
        Some('*'),
        s.focus == 1,
    ));
    lines.push(field(
        env.t("再次输入密码", "Password again"),
        &s.again,
        Some('*'),
        s.focus == 2,
    ));
    lines.push(Line::from(""));
    lines.push(Line::styled(
        env.t(
            "Tab 下一项  Enter 下一项/创建并登录  Esc 退出  F2 中/英",
            "Tab next  Enter next/create and log in  Esc quit  F2 中/EN",
        ),
        theme::dim(),
    ));
    let other = if s.empty {
        env.t(
            "或者 Ctrl-D：载入演示数据（示例申报材料、专家名单、演示账号，密码均为 demo）",
            "Or Ctrl-D: load the demo round (sample applications, roster, demo accounts, password demo)",
        )
    } else {
        env.t(
            "数据库中已有申报数据，因此不提供演示数据",
            "The database holds data, so the demo round is not offered",
        )
    };
    lines.extend(
        wrap(other, inner_w.max(1))
            .into_iter()
            .map(|l| Line::styled(l, theme::dim())),
    );
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered().title(env.t(" 创建第一个账号 ", " Create the first account ")),
        ),
        r,
    );
    let input = match s.focus {
        0 => &s.name,
        1 => &s.password,
        _ => &s.again,
    };
    let mask = (s.focus > 0).then_some('*');
    let (_, cur) = input.visible(FIELD, mask);
    let x = r.x + 1 + 2 + LABEL as u16 + 1 + cur as u16;
    let y = r.y + 1 + (fields_at + s.focus) as u16;
    if x < r.right() && y < r.bottom() {
        f.set_cursor_position((x, y));
    }
}
