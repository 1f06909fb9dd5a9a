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

    'work.bank': '题库',
    'work.bank.desc': '查看题库封存状态与试题元数据',

    'bank.pageTitle': '题库 · Assay 数字技术工程师评价考试系统',
    'bank.title': '题库',
    'bank.breadcrumb': '位置',
    'bank.lead': '题库加密存放，须由多名题库管理员以密钥份额共同启封；试题内容仅向有权人员开放。',
    'bank.backHome': '返回工作台',
    'bank.denied.title': '无权访问题库',
    'bank.denied.text': '题库仅向题库管理员、命题专家、考务管理员、质量督导员和机构管理员开放。如需访问，请联系本机构的机构管理员。',
    'bank.detail': '服务器说明：{detail}',

    'bank.status.title': '题库状态',
    'bank.status.lead': '启封须达到门限数量的密钥份额；封存后任何人都无法读取试题内容。',
    'bank.status.refresh': '刷新',
    'bank.state.sealed': '题库已封存',
    'bank.state.sealedText': '试题内容已加密，任何人都无法查看。',
    'bank.state.unsealed': '题库已启封',
    'bank.state.unsealedText': '有权人员现可查看试题内容；工作结束后请立即封存。',
    'bank.state.uninitialised': '题库尚未初始化',
    'bank.state.uninitialisedText': '尚未生成题库密钥。请由机构管理员在服务器上运行 assay bank init。',
    'bank.stat.bankID': '题库编号',
    'bank.stat.threshold': '启封门限',
    'bank.stat.thresholdValue': '{threshold}/{custodians}',
    'bank.stat.keyVersion': '密钥版本',
    'bank.stat.keyVersionValue': '第 {version} 版',
    'bank.stat.items': '试题数',
    'bank.stat.shares': '密钥份额',
    'bank.stat.sharesValue': '已提交 {collected}/{threshold}',
    'bank.stat.sharesDone': '已达门限',

    'bank.unseal.label': '密钥份额',
    'bank.unseal.hint': '粘贴您保管的密钥份额，每行一份，可一次提交多份；按 Ctrl+Enter 也可提交。提交后输入框会立即清空，份额不会保存在浏览器中。',
    'bank.unseal.placeholder': 'assay-share-1:…',
    'bank.unseal.submit': '提交份额',
    'bank.unseal.submitting': '正在提交…',
    'bank.unseal.empty': '请输入至少一份密钥份额。',
    'bank.unseal.progress': '份额已接收：已提交 {collected}/{threshold}，还需 {remaining} 份。',
    'bank.unseal.done': '题库已启封。',
    'bank.unseal.error.bad_share': '密钥份额无效或输错',
    'bank.unseal.error.wrong_shares': '份额不匹配，已清空已提交份额',
    'bank.unseal.error.bank_not_initialised': '题库尚未初始化，无法启封',
    'bank.unseal.error.other': '提交失败：{message}',
    'bank.seal.lead': '工作结束后请立即封存题库。封存后须重新收集门限数量的份额才能再次启封。',
    'bank.seal.button': '封存题库',
    'bank.seal.confirmText': '确定要封存题库吗？封存后所有人都将无法查看试题内容，直到题库管理员重新启封。',
    'bank.seal.confirm': '确认封存',
    'bank.seal.sealing': '正在封存…',
    'bank.seal.cancel': '取消',
    'bank.seal.done': '题库已封存。',
    'bank.seal.failed': '封存失败：{message}',

    'bank.items.title': '试题',
    'bank.items.leadPreview': '点击一行，或选中后按 Enter 键，即可预览试题。',
    'bank.items.leadMetadata': '您的角色仅可查看试题元数据，不含题目内容与答案。',
    'bank.items.leadAuthor': '点击一行，或选中后按 Enter 键，即可预览试题。命题专家可查看本人的草稿与审核中试题，以及他人审核中的试题（评审）。',
    'bank.items.count': '共 {count} 道试题',
    'bank.items.countOf': '{count} / {total} 道试题',
    'bank.items.caption': '题库试题列表',
    'bank.items.empty': '没有符合条件的试题。',
    'bank.items.noMatch': '没有符合题型或鉴定点条件的试题。',
    'bank.items.truncated': '仅列出前 {limit} 道试题，请缩小筛选范围。',
    'bank.filter.label': '筛选试题',
    'bank.filter.occupation': '职业',
    'bank.filter.level': '等级',
    'bank.filter.type': '题型',
    'bank.filter.status': '状态',
    'bank.filter.point': '鉴定点',
    'bank.filter.pointPlaceholder': '如 1.1 或 2.2.1',
    'bank.filter.allOccupations': '全部职业',
    'bank.filter.allLevels': '全部等级',
    'bank.filter.allTypes': '全部题型',
    'bank.filter.allStatuses': '全部状态',
    'bank.filter.apply': '查询',
    'bank.filter.reset': '重置',
    'bank.col.id': '试题编号',
    'bank.col.type': '题型',
    'bank.col.point': '鉴定点',
    'bank.col.levels': '等级',
    'bank.col.directions': '方向',
    'bank.col.difficulty': '难度',
    'bank.col.points': '分值',
    'bank.col.status': '状态',
    'bank.col.version': '版本',
    'bank.direction.all': '全部方向',
    'bank.synthetic': '合成',
    'bank.synthetic.title': '由生成器合成的试题，仅供演示与测试',
    'item.type.single_choice': '单选题',
    'item.type.multiple_choice': '多选题',
    'item.type.true_false': '判断题',
    'item.type.fill_in': '填空题',
    'item.type.short_answer': '简答题',
    'item.type.practical_task': '实操题',
    'item.status.draft': '草稿',
    'item.status.in_review': '审核中',
    'item.status.active': '启用',
    'item.status.retired': '停用',

    'bank.preview.kicker': '试题预览',
    'bank.preview.close': '关闭预览',
    'bank.preview.audited': '每次查看均记入审计日志',
    'bank.preview.sealed': '题库已封存，请题库管理员启封后查看',
    'bank.preview.sealedHint': '请在“题库状态”中提交密钥份额启封题库。',
    'bank.preview.forbidden': '您无权查看此试题的内容',
    'bank.preview.reason': '服务器说明：',
    'bank.preview.failed': '无法加载试题内容',
    'bank.preview.error.integrity_error': '试题完整性校验失败：密文可能已被篡改，请立即报告机构管理员。',
    'bank.preview.error.not_found': '该试题或版本不存在。',
    'bank.meta.occupation': '职业',
    'bank.meta.version': '第 {version} 版',
    'bank.paper.title': '考生视图',
    'bank.paper.points': '（{points} 分）',
    'bank.paper.answerArea': '考生作答区',
    'bank.blank.label': '第 {n} 空',
    'bank.tf.true': '正确',
    'bank.tf.false': '错误',
    'bank.task.preparation': '考核准备通知单',
    'bank.task.statement': '任务',
    'bank.task.materials': '材料',
    'bank.task.time': '考核时间',
    'bank.task.minutes': '{minutes} 分钟',
    'bank.answer.title': '参考答案与解析',
    'bank.answer.correct': '正确答案',
    'bank.answer.correctMany': '正确答案（须全部选对）',
    'bank.answer.blanks': '各空可接受的答案',
    'bank.answer.blanksNote': '判分时不区分全角与半角、大小写，并忽略首尾空格。',
    'bank.answer.reference': '参考答案',
    'bank.answer.scoring': '评分细则',
    'bank.answer.explanation': '解析',
    'bank.answer.none': '此试题没有答案或解析。',
    'bank.scoring.index': '序号',
    'bank.scoring.point': '评分要点',
    'bank.scoring.marks': '配分',
    'bank.scoring.criteria': '评分细则',
    'bank.scoring.total': '合计',

    'error.bank_sealed': '题库已封存，请题库管理员启封后查看。',
    'error.integrity_error': '试题完整性校验失败，请报告机构管理员。',
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

    'work.bank': 'Item bank',
    'work.bank.desc': 'Bank seal status and item metadata',

    'bank.pageTitle': 'Item bank · Assay Digital Technology Engineer Examinations',
    'bank.title': 'Item bank',
    'bank.breadcrumb': 'Breadcrumb',
    'bank.lead': 'The bank is encrypted at rest and unsealed only by a quorum of custodians with their key shares; item content is shown only to those entitled to it.',
    'bank.backHome': 'Back to workspace',
    'bank.denied.title': 'No access to the item bank',
    'bank.denied.text': 'The item bank is open to bank custodians, item authors, exam administrators, quality supervisors and body administrators. Contact your body administrator if you need access.',
    'bank.detail': 'Server says: {detail}',

    'bank.status.title': 'Bank status',
    'bank.status.lead': 'Unsealing takes the threshold number of key shares; once sealed, nobody can read item content.',
    'bank.status.refresh': 'Refresh',
    'bank.state.sealed': 'Bank sealed',
    'bank.state.sealedText': 'Item content is encrypted and cannot be viewed by anyone.',
    'bank.state.unsealed': 'Bank unsealed',
    'bank.state.unsealedText': 'Entitled users can now view item content. Seal the bank as soon as the work is done.',
    'bank.state.uninitialised': 'Bank not initialised',
    'bank.state.uninitialisedText': 'The bank has no keys yet. A body administrator must run assay bank init on the server.',
    'bank.stat.bankID': 'Bank ID',
    'bank.stat.threshold': 'Threshold',
    'bank.stat.thresholdValue': '{threshold} of {custodians}',
    'bank.stat.keyVersion': 'Key version',
    'bank.stat.keyVersionValue': 'v{version}',
    'bank.stat.items': 'Items',
    'bank.stat.shares': 'Key shares',
    'bank.stat.sharesValue': '{collected}/{threshold} given',
    'bank.stat.sharesDone': 'Threshold reached',

    'bank.unseal.label': 'Key shares',
    'bank.unseal.hint': 'Paste the key shares in your custody, one per line; you may give several at once (Ctrl+Enter also submits). The field is cleared as soon as you submit and shares are never stored in the browser.',
    'bank.unseal.placeholder': 'assay-share-1:…',
    'bank.unseal.submit': 'Submit shares',
    'bank.unseal.submitting': 'Submitting…',
    'bank.unseal.empty': 'Enter at least one key share.',
    'bank.unseal.progress': 'Shares accepted: {collected}/{threshold} given, {remaining} more needed.',
    'bank.unseal.done': 'The item bank is unsealed.',
    'bank.unseal.error.bad_share': 'The key share is invalid or mistyped',
    'bank.unseal.error.wrong_shares': 'The shares do not match; every share given so far has been discarded',
    'bank.unseal.error.bank_not_initialised': 'The bank is not initialised and cannot be unsealed',
    'bank.unseal.error.other': 'Could not submit: {message}',
    'bank.seal.lead': 'Seal the bank as soon as the work is done. Unsealing again takes the threshold number of shares.',
    'bank.seal.button': 'Seal the bank',
    'bank.seal.confirmText': 'Seal the item bank? Nobody will be able to view item content until custodians unseal it again.',
    'bank.seal.confirm': 'Seal now',
    'bank.seal.sealing': 'Sealing…',
    'bank.seal.cancel': 'Cancel',
    'bank.seal.done': 'The item bank is sealed.',
    'bank.seal.failed': 'Could not seal: {message}',

    'bank.items.title': 'Items',
    'bank.items.leadPreview': 'Click a row, or select it and press Enter, to preview the item.',
    'bank.items.leadMetadata': 'Your roles show item metadata only, without content or answers.',
    'bank.items.leadAuthor': 'Click a row, or select it and press Enter, to preview the item. Authors may read their own drafts and items in review, and items of other authors in review (as reviewers).',
    'bank.items.count': '{count} items',
    'bank.items.countOf': '{count} of {total} items',
    'bank.items.caption': 'Items in the bank',
    'bank.items.empty': 'No items match these filters.',
    'bank.items.noMatch': 'No items match this type or assessment point.',
    'bank.items.truncated': 'Only the first {limit} items are listed. Narrow the filters.',
    'bank.filter.label': 'Filter items',
    'bank.filter.occupation': 'Occupation',
    'bank.filter.level': 'Level',
    'bank.filter.type': 'Type',
    'bank.filter.status': 'Status',
    'bank.filter.point': 'Assessment point',
    'bank.filter.pointPlaceholder': 'e.g. 1.1 or 2.2.1',
    'bank.filter.allOccupations': 'All occupations',
    'bank.filter.allLevels': 'All levels',
    'bank.filter.allTypes': 'All types',
    'bank.filter.allStatuses': 'All statuses',
    'bank.filter.apply': 'Search',
    'bank.filter.reset': 'Reset',
    'bank.col.id': 'Item ID',
    'bank.col.type': 'Type',
    'bank.col.point': 'Point',
    'bank.col.levels': 'Levels',
    'bank.col.directions': 'Directions',
    'bank.col.difficulty': 'Difficulty',
    'bank.col.points': 'Marks',
    'bank.col.status': 'Status',
    'bank.col.version': 'Version',
    'bank.direction.all': 'All directions',
    'bank.synthetic': 'Synthetic',
    'bank.synthetic.title': 'Generated item, for demonstration and testing only',
    'item.type.single_choice': 'Single choice',
    'item.type.multiple_choice': 'Multiple choice',
    'item.type.true_false': 'True/false',
    'item.type.fill_in': 'Fill in',
    'item.type.short_answer': 'Short answer',
    'item.type.practical_task': 'Practical task',
    'item.status.draft': 'Draft',
    'item.status.in_review': 'In review',
    'item.status.active': 'Active',
    'item.status.retired': 'Retired',

    'bank.preview.kicker': 'Item preview',
    'bank.preview.close': 'Close preview',
    'bank.preview.audited': 'Every view is recorded in the audit log',
    'bank.preview.sealed': 'The bank is sealed. Ask a bank custodian to unseal it first.',
    'bank.preview.sealedHint': 'Submit key shares under "Bank status" to unseal the bank.',
    'bank.preview.forbidden': 'You may not view the content of this item',
    'bank.preview.reason': 'Server says: ',
    'bank.preview.failed': 'Could not load the item content',
    'bank.preview.error.integrity_error': 'Integrity check failed: the ciphertext may have been tampered with. Report this to your body administrator now.',
    'bank.preview.error.not_found': 'This item or version does not exist.',
    'bank.meta.occupation': 'Occupation',
    'bank.meta.version': 'Version {version}',
    'bank.paper.title': 'As the candidate sees it',
    'bank.paper.points': '({points} marks)',
    'bank.paper.answerArea': 'Answer area',
    'bank.blank.label': 'Blank {n}',
    'bank.tf.true': 'True',
    'bank.tf.false': 'False',
    'bank.task.preparation': 'Preparation notice',
    'bank.task.statement': 'Task',
    'bank.task.materials': 'Materials',
    'bank.task.time': 'Time allowed',
    'bank.task.minutes': '{minutes} minutes',
    'bank.answer.title': 'Answer key and explanation',
    'bank.answer.correct': 'Correct answer',
    'bank.answer.correctMany': 'Correct answers (all required)',
    'bank.answer.blanks': 'Accepted answers per blank',
    'bank.answer.blanksNote': 'Marking ignores full-width/half-width forms, case and surrounding spaces.',
    'bank.answer.reference': 'Reference answer',
    'bank.answer.scoring': 'Scoring rules',
    'bank.answer.explanation': 'Explanation',
    'bank.answer.none': 'This item has no answer key or explanation.',
    'bank.scoring.index': 'No.',
    'bank.scoring.point': 'Scoring point',
    'bank.scoring.marks': 'Marks',
    'bank.scoring.criteria': 'Criteria',
    'bank.scoring.total': 'Total',

    'error.bank_sealed': 'The item bank is sealed. Ask a bank custodian to unseal it.',
    'error.integrity_error': 'Item integrity check failed. Report this to your body administrator.',
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
