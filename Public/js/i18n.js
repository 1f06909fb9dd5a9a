// Translations for the web client. Every piece of interface text comes from here.
//
// The language is Chinese by default; the choice is remembered in localStorage under
// `assay.lang` ("zh-CN" or "en"). Server data (names, directions, problems) is shown as sent.

const STORAGE_KEY = 'assay.lang';
export const DEFAULT_LANG = 'zh-CN';
export const LANGS = ['zh-CN', 'en'];

const dictionaries = {
  'zh-CN': {
    'app.name': 'Assay',
    'app.subtitle': '数字技术工程师评价考试系统',
    'app.fullName': 'Assay 数字技术工程师评价考试系统',
    'app.footer': '本系统仅限授权人员使用，所有登录与操作均记入审计日志。',
    'app.noscript': '本系统需要启用 JavaScript 才能使用。',

    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'lang.switchLang': 'en',

    'login.pageTitle': '登录 · Assay 数字技术工程师评价考试系统',
    'login.heroTitle': '数字技术工程师培育项目',
    'login.heroLead': '专业技术等级评价与考试管理平台',
    'login.point1': '依据国家职业技术技能标准，按职业、方向、等级评价',
    'login.point2': '理论知识与专业能力分别考核，均达 60 分为合格',
    'login.point3': '考务全过程留痕，可追溯、可倒查',
    'login.title': '账号登录',
    'login.lead': '请使用评价机构为您分配的账号登录。',
    'login.username': '用户名',
    'login.usernamePlaceholder': '请输入用户名',
    'login.password': '密码',
    'login.passwordPlaceholder': '请输入密码',
    'login.showPassword': '显示密码',
    'login.hidePassword': '隐藏密码',
    'login.capsLock': '大写锁定已开启',
    'login.submit': '登录',
    'login.submitting': '正在登录…',
    'login.help': '忘记密码或账号被停用？请联系本机构的机构管理员。',
    'login.needUsername': '请输入用户名',
    'login.needPassword': '请输入密码',
    'login.sessionEnded': '您的会话已结束，请重新登录。',
    'login.loggedOut': '您已安全退出。',

    'error.invalid_credentials': '用户名或密码错误，请重新输入。',
    'error.account_disabled': '该账号已停用，请联系机构管理员。',
    'error.too_many_attempts': '尝试次数过多，请在 {seconds} 秒后重试',
    'error.too_many_attempts_unknown': '尝试次数过多，请稍后重试',
    'error.bad_request': '请求格式有误，请检查输入后重试。',
    'error.busy': '服务器繁忙，请稍后重试。',
    'error.network_error': '无法连接服务器，请检查网络后重试。',
    'error.internal_error': '服务器内部错误，请稍后重试。',
    'error.unauthenticated': '会话已结束，请重新登录。',
    'error.forbidden': '您的角色无权访问此内容。',
    'error.not_found': '请求的内容不存在。',
    'error.generic': '操作失败，请稍后重试。',

    'home.pageTitle': '工作台 · Assay 数字技术工程师评价考试系统',
    'home.skip': '跳到主要内容',
    'home.loading': '正在加载…',
    'home.logout': '退出登录',
    'home.loggingOut': '正在退出…',
    'home.userMenuLabel': '当前用户',
    'home.rolesLabel': '角色',
    'home.greeting.morning': '上午好，{name}',
    'home.greeting.afternoon': '下午好，{name}',
    'home.greeting.evening': '晚上好，{name}',
    'home.identity': '当前身份：{roles}',
    'home.sessionUntil': '本次会话有效期至 {time}',
    'home.roleSeparator': '、',
    'home.loadFailed': '无法加载您的账号信息。',
    'home.retry': '重试',

    'work.title': '工作台',
    'work.lead': '按您的角色列出可用的功能模块。',
    'work.comingSoon': '建设中',
    'work.open': '查看',
    'work.groupFor': '{role}',

    'work.accounts': '账号管理',
    'work.accounts.desc': '查看本机构账号、角色与启用状态',
    'work.audit': '审计日志',
    'work.audit.desc': '查看审计链完整性校验结果',
    'work.certificates': '证书',
    'work.certificates.desc': '证书编号、制发与公开查询',
    'work.reporting': '上报',
    'work.reporting.desc': '证书数据与考试统计表上报',
    'work.registrationReview': '报名审核',
    'work.registrationReview.desc': '审核考生申报条件与诚信承诺',
    'work.examPlans': '考试计划',
    'work.examPlans.desc': '按职业、方向、等级编制考试批次',
    'work.sessions': '场次与考场',
    'work.sessions.desc': '安排考试场次、考场与座位',
    'work.staffing': '人员安排',
    'work.staffing.desc': '分配监考人员、考评员与督导员',
    'work.paperRelease': '试卷启封',
    'work.paperRelease.desc': '开考时经见证启封试卷',
    'work.itemWriting': '试题编写',
    'work.itemWriting.desc': '按鉴定点编写与修订试题',
    'work.myItems': '我的试题',
    'work.myItems.desc': '查看本人编写试题的审核状态',
    'work.bankUnseal': '题库启封',
    'work.bankUnseal.desc': '多名题库管理员以密钥份额共同启封',
    'work.keyRotation': '密钥轮换',
    'work.keyRotation.desc': '轮换题库加密密钥与份额',
    'work.invigilation': '监考',
    'work.invigilation.desc': '理论知识考核在线监考',
    'work.marking': '阅卷',
    'work.marking.desc': '按评分细则评分并签名确认',
    'work.onsiteSupervision': '现场督导',
    'work.onsiteSupervision.desc': '实时督导考试场次与考场秩序',
    'work.markingQuality': '评分质量',
    'work.markingQuality.desc': '抽查评分过程与结果一致性',
    'work.apply': '报名',
    'work.apply.desc': '填写申报信息并签署诚信承诺',
    'work.admissionTicket': '准考证',
    'work.admissionTicket.desc': '查看与打印准考证',
    'work.takeExam': '参加考试',
    'work.takeExam.desc': '进入在线考试与模拟测试',
    'work.results': '成绩查询',
    'work.results.desc': '查询成绩并申请成绩复核',

    'std.title': '职业标准',
    'std.lead': '本机构已载入的国家职业技术技能标准，按等级列出方向。',
    'std.count': '共 {count} 个职业',
    'std.empty': '尚未载入任何职业标准。',
    'std.code': '职业编码',
    'std.levels': '等级与方向',
    'std.directionsOf': '{level}方向',
    'level.初级': '初级',
    'level.中级': '中级',
    'level.高级': '高级',
    'direction.undivided': '不分方向',

    'users.title': '账号',
    'users.lead': '本机构的全部账号。新建、停用账号的界面建设中。',
    'users.count': '共 {count} 个账号',
    'users.caption': '本机构账号列表',
    'users.col.displayName': '姓名',
    'users.col.username': '用户名',
    'users.col.roles': '角色',
    'users.col.status': '状态',
    'users.col.createdAt': '创建时间',
    'users.active': '启用',
    'users.disabled': '已停用',
    'users.empty': '暂无账号。',

    'audit.title': '审计链状态',
    'audit.lead': '审计日志以哈希链串联并定期签名检查点，任何篡改都会被发现。',
    'audit.ok': '审计链完整',
    'audit.broken': '审计链异常',
    'audit.entries': '日志条目',
    'audit.checkpoints': '签名检查点',
    'audit.lastCheckpoint': '最近检查点',
    'audit.noCheckpoint': '尚无检查点',
    'audit.problem': '问题说明',
    'audit.noProblemText': '服务器未提供详细说明。',
    'audit.recheck': '重新校验',
    'audit.checkedAt': '校验时间：{time}',

    'section.loadFailed': '加载失败：{message}',
  },

  en: {
    'app.name': 'Assay',
    'app.subtitle': 'Digital Technology Engineer Examinations',
    'app.fullName': 'Assay Digital Technology Engineer Examinations',
    'app.footer': 'For authorised users only. Every sign-in and action is recorded in the audit log.',
    'app.noscript': 'This system needs JavaScript to be enabled.',

    'lang.switch': '中文',
    'lang.switchLabel': '切换到中文',
    'lang.switchLang': 'zh-CN',

    'login.pageTitle': 'Sign in · Assay Digital Technology Engineer Examinations',
    'login.heroTitle': 'Digital Technology Engineer Programme',
    'login.heroLead': 'Professional level evaluation and examination management',
    'login.point1': 'Evaluations organised by occupation, direction and level under the national occupational standards',
    'login.point2': 'Theory and professional ability are examined separately; 60 points passes each',
    'login.point3': 'Every step is recorded, traceable and auditable',
    'login.title': 'Sign in',
    'login.lead': 'Use the account your evaluation body issued to you.',
    'login.username': 'Username',
    'login.usernamePlaceholder': 'Enter your username',
    'login.password': 'Password',
    'login.passwordPlaceholder': 'Enter your password',
    'login.showPassword': 'Show password',
    'login.hidePassword': 'Hide password',
    'login.capsLock': 'Caps Lock is on',
    'login.submit': 'Sign in',
    'login.submitting': 'Signing in…',
    'login.help': 'Forgot your password or account disabled? Contact your body administrator.',
    'login.needUsername': 'Please enter your username',
    'login.needPassword': 'Please enter your password',
    'login.sessionEnded': 'Your session has ended. Please sign in again.',
    'login.loggedOut': 'You have signed out.',

    'error.invalid_credentials': 'Wrong username or password. Please try again.',
    'error.account_disabled': 'This account is disabled. Contact your body administrator.',
    'error.too_many_attempts': 'Too many attempts. Try again in {seconds} seconds.',
    'error.too_many_attempts_unknown': 'Too many attempts. Please try again later.',
    'error.bad_request': 'The request was not valid. Check your input and try again.',
    'error.busy': 'The server is busy. Please try again shortly.',
    'error.network_error': 'Cannot reach the server. Check your connection and try again.',
    'error.internal_error': 'The server hit an internal error. Please try again later.',
    'error.unauthenticated': 'Your session has ended. Please sign in again.',
    'error.forbidden': 'Your roles do not allow access to this.',
    'error.not_found': 'The requested item does not exist.',
    'error.generic': 'Something went wrong. Please try again later.',

    'home.pageTitle': 'Workspace · Assay Digital Technology Engineer Examinations',
    'home.skip': 'Skip to main content',
    'home.loading': 'Loading…',
    'home.logout': 'Sign out',
    'home.loggingOut': 'Signing out…',
    'home.userMenuLabel': 'Signed in as',
    'home.rolesLabel': 'Roles',
    'home.greeting.morning': 'Good morning, {name}',
    'home.greeting.afternoon': 'Good afternoon, {name}',
    'home.greeting.evening': 'Good evening, {name}',
    'home.identity': 'Signed in as {roles}',
    'home.sessionUntil': 'This session is valid until {time}',
    'home.roleSeparator': ', ',
    'home.loadFailed': 'Your account details could not be loaded.',
    'home.retry': 'Retry',

    'work.title': 'Workspace',
    'work.lead': 'The modules available to your roles.',
    'work.comingSoon': 'Coming soon',
    'work.open': 'Open',
    'work.groupFor': '{role}',

    'work.accounts': 'Accounts',
    'work.accounts.desc': 'Accounts of this body, their roles and status',
    'work.audit': 'Audit log',
    'work.audit.desc': 'Integrity check of the audit chain',
    'work.certificates': 'Certificates',
    'work.certificates.desc': 'Certificate numbering, issuing and public lookup',
    'work.reporting': 'Reporting',
    'work.reporting.desc': 'Certificate data and exam statistics for the regulator',
    'work.registrationReview': 'Registration review',
    'work.registrationReview.desc': 'Review eligibility declarations and honesty commitments',
    'work.examPlans': 'Exam plans',
    'work.examPlans.desc': 'Plan batches by occupation, direction and level',
    'work.sessions': 'Sessions & rooms',
    'work.sessions.desc': 'Schedule sittings, rooms and seats',
    'work.staffing': 'Staffing',
    'work.staffing.desc': 'Assign invigilators, examiners and supervisors',
    'work.paperRelease': 'Paper release',
    'work.paperRelease.desc': 'Witnessed unsealing of papers at the start',
    'work.itemWriting': 'Item writing',
    'work.itemWriting.desc': 'Write and revise items against assessment points',
    'work.myItems': 'My items',
    'work.myItems.desc': 'Review status of the items you wrote',
    'work.bankUnseal': 'Bank unsealing',
    'work.bankUnseal.desc': 'Custodians unseal the bank together with key shares',
    'work.keyRotation': 'Key rotation',
    'work.keyRotation.desc': 'Rotate the item-bank keys and shares',
    'work.invigilation': 'Invigilation',
    'work.invigilation.desc': 'Invigilate online theory sittings',
    'work.marking': 'Marking',
    'work.marking.desc': 'Mark against the scoring rules and sign the marks',
    'work.onsiteSupervision': 'On-site supervision',
    'work.onsiteSupervision.desc': 'Supervise sittings and rooms live',
    'work.markingQuality': 'Marking quality',
    'work.markingQuality.desc': 'Sample marking for consistency',
    'work.apply': 'Apply',
    'work.apply.desc': 'Declare eligibility and sign the honesty commitment',
    'work.admissionTicket': 'Admission ticket',
    'work.admissionTicket.desc': 'View and print your admission ticket',
    'work.takeExam': 'Take an exam',
    'work.takeExam.desc': 'Enter online exams and mock tests',
    'work.results': 'Results',
    'work.results.desc': 'See your scores and request a re-check',

    'std.title': 'Occupational standards',
    'std.lead': 'National occupational standards loaded by this body, with directions per level.',
    'std.count': '{count} occupations',
    'std.empty': 'No occupational standard has been loaded yet.',
    'std.code': 'Occupation code',
    'std.levels': 'Levels and directions',
    'std.directionsOf': 'Directions at {level} level',
    'level.初级': 'Junior',
    'level.中级': 'Intermediate',
    'level.高级': 'Senior',
    'direction.undivided': 'No direction',

    'users.title': 'Accounts',
    'users.lead': 'All accounts of this body. Screens to create and disable accounts are coming soon.',
    'users.count': '{count} accounts',
    'users.caption': 'Accounts of this body',
    'users.col.displayName': 'Name',
    'users.col.username': 'Username',
    'users.col.roles': 'Roles',
    'users.col.status': 'Status',
    'users.col.createdAt': 'Created',
    'users.active': 'Active',
    'users.disabled': 'Disabled',
    'users.empty': 'No accounts yet.',

    'audit.title': 'Audit chain status',
    'audit.lead': 'Audit entries are hash-chained and checkpoints are signed, so any tampering is detected.',
    'audit.ok': 'Audit chain intact',
    'audit.broken': 'Audit chain broken',
    'audit.entries': 'Entries',
    'audit.checkpoints': 'Signed checkpoints',
    'audit.lastCheckpoint': 'Last checkpoint',
    'audit.noCheckpoint': 'No checkpoint yet',
    'audit.problem': 'Problem',
    'audit.noProblemText': 'The server gave no details.',
    'audit.recheck': 'Check again',
    'audit.checkedAt': 'Checked at {time}',

    'section.loadFailed': 'Could not load: {message}',
  },
};

const roleNames = {
  'zh-CN': {
    body_admin: '机构管理员',
    exam_admin: '考务管理员',
    item_author: '命题专家',
    bank_custodian: '题库管理员',
    examiner: '考评员',
    supervisor: '质量督导员',
    candidate: '考生',
  },
  en: {
    body_admin: 'Body administrator',
    exam_admin: 'Exam administrator',
    item_author: 'Item author',
    bank_custodian: 'Bank custodian',
    examiner: 'Examiner',
    supervisor: 'Quality supervisor',
    candidate: 'Candidate',
  },
};

/** The role codes in their canonical order. */
export const ROLE_ORDER = Object.keys(roleNames['zh-CN']);

function readStoredLang() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(stored) ? stored : null;
  } catch {
    return null;
  }
}

let current = readStoredLang() || DEFAULT_LANG;

/** The language in use: "zh-CN" or "en". */
export function getLang() {
  return current;
}

/** Translates `key`, filling `{name}` placeholders from `params`. Unknown keys fall back to Chinese, then the key. */
export function t(key, params) {
  const text = dictionaries[current][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether a translation exists for `key` in the current language. */
export function has(key) {
  return key in dictionaries[current];
}

/** The display name of a role code; unknown codes are shown as sent. */
export function roleName(code) {
  return roleNames[current][code] ?? code;
}

/** A date-time in the current language, or "" when the value is missing or unreadable. */
export function formatDateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(date);
}

/** A number with the current language's grouping. */
export function formatNumber(value) {
  const number = Number(value);
  return Number.isFinite(number) ? new Intl.NumberFormat(current).format(number) : String(value ?? '');
}

/**
 * Fills the static text of `root`:
 * - `data-i18n="key"` sets the text content;
 * - `data-i18n-attr="attr:key;attr:key"` sets attributes (placeholder, aria-label, title…).
 */
export function applyI18n(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((part) => part.trim());
      if (attr && key) node.setAttribute(attr, t(key));
    }
  }
  const titleKey = document.documentElement.dataset.i18nTitle;
  if (titleKey) document.title = t(titleKey);
}

/** Switches the language, remembers it, re-applies static text and tells listeners (`assay:langchange`). */
export function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  applyI18n();
  document.dispatchEvent(new CustomEvent('assay:langchange', { detail: { lang } }));
}

/** Wires the header button that switches between Chinese and English. */
export function bindLangToggle(button) {
  const render = () => {
    button.textContent = t('lang.switch');
    button.setAttribute('lang', t('lang.switchLang'));
    button.setAttribute('aria-label', t('lang.switchLabel'));
    button.title = t('lang.switchLabel');
  };
  render();
  button.addEventListener('click', () => {
    setLang(current === 'en' ? 'zh-CN' : 'en');
  });
  document.addEventListener('assay:langchange', render);
}
