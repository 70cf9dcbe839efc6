// zh-CN / en strings and the current language.
// The language is chosen by the user and kept in localStorage; Chinese is the default.
const { reactive, computed } = window.Vue;

export const LANGS = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
];
const STORAGE_KEY = 'zonegov.lang';

export const ROLES = [
  'admin',
  'leader',
  'dispatcher',
  'department_handler',
  'grid_leader',
  'grid_worker',
  'supervisor',
];

const messages = {
  'zh-CN': {
    app: {
      title: '经开区智慧治理平台',
      navTitle: '经开区智慧治理平台',
      short: 'zonegov',
      subtitle: '经济技术开发区 · 基层治理一体化平台',
      slogan: '数字赋能 · 网格联动 · 精细治理',
      copyright: '经开区智慧治理平台 zonegov',
      loading: '正在加载…',
    },
    menu: {
      dashboard: '工作台',
      events: '事件工单',
      gridMap: '网格地图',
      projects: '重点项目',
      enterprise: '企业服务',
      safety: '安全检查',
      assessment: '统计考核',
      system: '系统管理',
      users: '用户管理',
    },
    nav: {
      home: '首页',
      toggleSidebar: '收起/展开菜单',
      language: '语言',
      profile: '个人信息',
      logout: '退出登录',
      logoutConfirm: '确定退出登录吗？',
      loggedOut: '已退出登录',
      sessionExpired: '登录状态已失效，请重新登录',
    },
    login: {
      title: '用户登录',
      welcome: '欢迎登录',
      username: '用户名',
      password: '密码',
      usernamePlaceholder: '请输入用户名',
      passwordPlaceholder: '请输入密码',
      submit: '登 录',
      submitting: '登录中…',
      usernameRequired: '请输入用户名',
      passwordRequired: '请输入密码',
      retryAfter: '请在 {seconds} 秒后重试。',
      wait: '请稍候（{seconds} 秒）',
      success: '登录成功',
      tip: '本系统仅供授权人员使用，操作将被记录审计。',
    },
    dashboard: {
      greetingMorning: '早上好',
      greetingAfternoon: '下午好',
      greetingEvening: '晚上好',
      welcome: '{greeting}，{name}',
      intro: '欢迎使用经开区智慧治理平台。',
      account: '当前账号',
      username: '用户名',
      name: '姓名',
      roles: '角色',
      scope: '管辖范围',
      scopeAll: '全区',
      unit: '网格单元',
      department: '部门',
      modules: '业务模块',
      moduleSoon: '建设中',
      open: '进入',
    },
    soon: {
      title: '功能建设中',
      description: '“{module}”模块正在建设中，敬请期待。',
      back: '返回工作台',
      events: '事件受理、派遣、处置、核查、结案全流程闭环管理。',
      gridMap: '网格划分、网格员分布与事件点位的地图展示。',
      projects: '重点项目建设进度、问题协调与节点督办。',
      enterprise: '企业诉求受理、惠企政策推送与服务跟踪。',
      safety: '安全生产检查计划、隐患登记与整改闭环。',
      assessment: '事件处置效能统计与部门、网格考核评价。',
    },
    role: {
      admin: '系统管理员',
      leader: '领导',
      dispatcher: '受理调度员',
      department_handler: '部门处置人员',
      grid_leader: '网格长',
      grid_worker: '网格员',
      supervisor: '督查员',
    },
    users: {
      searchPlaceholder: '用户名 / 姓名',
      search: '搜索',
      reset: '重置',
      add: '新增用户',
      edit: '编辑',
      refresh: '刷新',
      id: '编号',
      username: '用户名',
      name: '姓名',
      roles: '角色',
      scope: '管辖范围',
      phone: '手机号码',
      status: '状态',
      createdAt: '创建时间',
      actions: '操作',
      enabled: '正常',
      disabled: '停用',
      disable: '停用',
      enable: '启用',
      self: '当前登录账号',
      scopeAll: '全区',
      unit: '单元',
      department: '部门',
      disableConfirm: '确定停用用户“{name}”（{username}）吗？停用后该用户将无法登录。',
      enableConfirm: '确定启用用户“{name}”（{username}）吗？',
      confirmTitle: '系统提示',
      confirm: '确定',
      cancel: '取消',
      disabledOk: '已停用用户 {username}',
      enabledOk: '已启用用户 {username}',
      createTitle: '新增用户',
      editTitle: '编辑用户',
      password: '密码',
      newPassword: '重置密码',
      newPasswordPlaceholder: '不修改请留空',
      unitCode: '网格单元编码',
      departmentId: '所属部门',
      optional: '选填',
      usernamePlaceholder: '3-32 位小写字母、数字或 _ . -，以字母或数字开头',
      namePlaceholder: '请输入姓名',
      passwordPlaceholder: '10-128 个字符',
      rolesPlaceholder: '请选择角色（可多选）',
      phonePlaceholder: '以 1 开头的 11 位手机号码',
      unitPlaceholder: '1-32 位数字，不限制请留空',
      departmentPlaceholder: '请选择部门，不限制请留空',
      scopeHint: '管辖范围留空表示全区。',
      ruleUsernameRequired: '请输入用户名',
      ruleUsernameFormat: '用户名须为 3-32 位小写字母、数字或 _ . -，以字母或数字开头',
      ruleNameRequired: '请输入姓名',
      rulePasswordRequired: '请输入密码',
      rulePasswordLength: '密码长度须为 10-128 个字符',
      ruleRolesRequired: '请至少选择一个角色',
      rulePhoneFormat: '手机号码须为以 1 开头的 11 位数字',
      ruleNameLength: '姓名不能超过 64 个字符',
      ruleUnitFormat: '网格单元编码须为 1-32 位数字',
      created: '已新增用户 {username}',
      saved: '已保存用户 {username}',
      total: '共 {total} 条',
      empty: '暂无用户',
    },
    map: {
      searchPlaceholder: '搜索单元名称或编码',
      searchEmpty: '没有匹配的单元',
      wholeZone: '全区',
      wholeZoneTip: '显示全区范围',
      layers: '图层',
      microAuto: '放大至 {zoom} 级时自动显示',
      loading: '正在加载网格数据…',
      loadFailed: '网格数据加载失败：{message}',
      panelTitle: '网格信息',
      close: '关闭',
      hierarchy: '归属层级',
      code: '编码',
      people: '责任人',
      noPeople: '暂无责任人',
      point: '点位',
      outsideTitle: '不在辖区范围内',
      clickHint: '点击地图上的网格，查看归属层级与责任人',
      cursor: '鼠标',
      selected: '选中点',
      lon: '经度',
      lat: '纬度',
      zoom: '级别',
      units: '{count} 个',
      zoomIn: '放大',
      zoomOut: '缩小',
      level: {
        zone: '开发区',
        street: '街道/乡镇',
        community: '社区/村',
        grid: '网格',
        microgrid: '微网格',
      },
      duty: {
        leader: '分包领导',
        grid_leader: '网格长',
        grid_worker: '网格员',
        microgrid_worker: '微网格员',
      },
    },
    errors: {
      network: '无法连接服务器，请检查网络后重试',
      server: '服务器错误（HTTP {status}）',
      forbiddenTitle: '无权访问',
      forbidden: '您没有访问该页面的权限，如需开通请联系系统管理员。',
      notFoundTitle: '页面不存在',
      notFound: '您访问的页面不存在或已被移除。',
      backHome: '返回工作台',
    },
    common: {
      none: '—',
    },
  },

  en: {
    app: {
      title: 'Smart Governance Platform',
      navTitle: 'Smart Governance',
      short: 'zonegov',
      subtitle: 'Economic & Technological Development Zone · Integrated Governance',
      slogan: 'Digital · Grid-linked · Precise governance',
      copyright: 'zonegov Smart Governance Platform',
      loading: 'Loading…',
    },
    menu: {
      dashboard: 'Dashboard',
      events: 'Work Orders',
      gridMap: 'Grid Map',
      projects: 'Key Projects',
      enterprise: 'Enterprise Services',
      safety: 'Safety Inspections',
      assessment: 'Statistics & Assessment',
      system: 'System',
      users: 'Users',
    },
    nav: {
      home: 'Home',
      toggleSidebar: 'Collapse / expand menu',
      language: 'Language',
      profile: 'Profile',
      logout: 'Log out',
      logoutConfirm: 'Log out now?',
      loggedOut: 'Logged out',
      sessionExpired: 'Your session has expired. Please log in again.',
    },
    login: {
      title: 'Sign in',
      welcome: 'Welcome',
      username: 'Username',
      password: 'Password',
      usernamePlaceholder: 'Username',
      passwordPlaceholder: 'Password',
      submit: 'Log in',
      submitting: 'Logging in…',
      usernameRequired: 'Please enter your username',
      passwordRequired: 'Please enter your password',
      retryAfter: 'Please try again in {seconds} seconds.',
      wait: 'Please wait ({seconds} s)',
      success: 'Logged in',
      tip: 'Authorized personnel only. All operations are audited.',
    },
    dashboard: {
      greetingMorning: 'Good morning',
      greetingAfternoon: 'Good afternoon',
      greetingEvening: 'Good evening',
      welcome: '{greeting}, {name}',
      intro: 'Welcome to the zonegov smart governance platform.',
      account: 'Current account',
      username: 'Username',
      name: 'Name',
      roles: 'Roles',
      scope: 'Scope',
      scopeAll: 'Whole zone',
      unit: 'Grid unit',
      department: 'Department',
      modules: 'Modules',
      moduleSoon: 'Coming soon',
      open: 'Open',
    },
    soon: {
      title: 'Coming soon',
      description: 'The “{module}” module is under construction.',
      back: 'Back to dashboard',
      events: 'Closed-loop handling of incidents: intake, dispatch, handling, verification and closing.',
      gridMap: 'Map of grid units, grid workers and incident locations.',
      projects: 'Progress, coordination and supervision of key construction projects.',
      enterprise: 'Enterprise requests, policy notices and service follow-up.',
      safety: 'Safety inspection plans, hazard registration and rectification.',
      assessment: 'Handling statistics and performance assessment of departments and grids.',
    },
    role: {
      admin: 'System administrator',
      leader: 'Leader',
      dispatcher: 'Dispatcher',
      department_handler: 'Department handler',
      grid_leader: 'Grid leader',
      grid_worker: 'Grid worker',
      supervisor: 'Supervisor',
    },
    users: {
      searchPlaceholder: 'Username / name',
      search: 'Search',
      reset: 'Reset',
      add: 'New user',
      edit: 'Edit',
      refresh: 'Refresh',
      id: 'ID',
      username: 'Username',
      name: 'Name',
      roles: 'Roles',
      scope: 'Scope',
      phone: 'Phone',
      status: 'Status',
      createdAt: 'Created',
      actions: 'Actions',
      enabled: 'Active',
      disabled: 'Disabled',
      disable: 'Disable',
      enable: 'Enable',
      self: 'Signed-in account',
      scopeAll: 'Whole zone',
      unit: 'Unit',
      department: 'Dept.',
      disableConfirm: 'Disable user “{name}” ({username})? The user will no longer be able to log in.',
      enableConfirm: 'Enable user “{name}” ({username})?',
      confirmTitle: 'Confirm',
      confirm: 'OK',
      cancel: 'Cancel',
      disabledOk: 'User {username} disabled',
      enabledOk: 'User {username} enabled',
      createTitle: 'New user',
      editTitle: 'Edit user',
      password: 'Password',
      newPassword: 'Reset password',
      newPasswordPlaceholder: 'Leave empty to keep',
      unitCode: 'Grid unit code',
      departmentId: 'Department',
      optional: 'optional',
      usernamePlaceholder: '3-32 of a-z 0-9 _ . -, starting with a letter or digit',
      namePlaceholder: 'Full name',
      passwordPlaceholder: '10-128 characters',
      rolesPlaceholder: 'Select one or more roles',
      phonePlaceholder: '11-digit mobile number starting with 1',
      unitPlaceholder: '1-32 digits; empty for no limit',
      departmentPlaceholder: 'Select a department; empty for no limit',
      scopeHint: 'Leave the scope empty for the whole zone.',
      ruleUsernameRequired: 'Please enter a username',
      ruleUsernameFormat: 'Username must be 3-32 of a-z 0-9 _ . - starting with a letter or digit',
      ruleNameRequired: 'Please enter a name',
      rulePasswordRequired: 'Please enter a password',
      rulePasswordLength: 'Password must be 10-128 characters',
      ruleRolesRequired: 'Please select at least one role',
      rulePhoneFormat: 'Phone must be 11 digits starting with 1',
      ruleNameLength: 'Name must be at most 64 characters',
      ruleUnitFormat: 'Grid unit code must be 1-32 digits',
      created: 'User {username} created',
      saved: 'User {username} saved',
      total: '{total} in total',
      empty: 'No users',
    },
    map: {
      searchPlaceholder: 'Search a unit by name or code',
      searchEmpty: 'No matching unit',
      wholeZone: 'Whole zone',
      wholeZoneTip: 'Show the whole zone',
      layers: 'Layers',
      microAuto: 'Shown automatically from zoom {zoom}',
      loading: 'Loading grid data…',
      loadFailed: 'Could not load the grid data: {message}',
      panelTitle: 'Unit details',
      close: 'Close',
      hierarchy: 'Hierarchy',
      code: 'Code',
      people: 'Responsible people',
      noPeople: 'No one assigned',
      point: 'Point',
      outsideTitle: 'Outside the zone',
      clickHint: 'Click a grid cell on the map to see its hierarchy and responsible people',
      cursor: 'Cursor',
      selected: 'Selected',
      lon: 'Lon',
      lat: 'Lat',
      zoom: 'Zoom',
      units: '{count}',
      zoomIn: 'Zoom in',
      zoomOut: 'Zoom out',
      level: {
        zone: 'Zone',
        street: 'Street / town',
        community: 'Community / village',
        grid: 'Grid',
        microgrid: 'Micro-grid',
      },
      duty: {
        leader: 'Leader in charge',
        grid_leader: 'Grid leader',
        grid_worker: 'Grid worker',
        microgrid_worker: 'Micro-grid worker',
      },
    },
    errors: {
      network: 'Cannot reach the server. Please check the network and retry.',
      server: 'Server error (HTTP {status})',
      forbiddenTitle: 'Access denied',
      forbidden: 'You do not have permission to view this page. Contact the system administrator.',
      notFoundTitle: 'Page not found',
      notFound: 'The page you requested does not exist.',
      backHome: 'Back to dashboard',
    },
    common: {
      none: '—',
    },
  },
};

function initialLang() {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved && messages[saved]) return saved;
  } catch { /* storage unavailable */ }
  return 'zh-CN';
}

export const i18n = reactive({ lang: initialLang() });
document.documentElement.lang = i18n.lang;

export function setLang(lang) {
  if (!messages[lang]) return;
  i18n.lang = lang;
  document.documentElement.lang = lang;
  try { window.localStorage.setItem(STORAGE_KEY, lang); } catch { /* ignore */ }
}

export function isEnglish() {
  return i18n.lang === 'en';
}

function lookup(dict, key) {
  let cur = dict;
  for (const part of key.split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}

// t('menu.users'), t('users.total', { total: 5 })
export function t(key, params) {
  let s = lookup(messages[i18n.lang], key);
  if (s === undefined) s = lookup(messages['zh-CN'], key);
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined && params[k] !== null ? String(params[k]) : m));
  return s;
}

// Joins a list for display: 、 in Chinese, comma in English.
export function joinList(items) {
  return items.join(i18n.lang === 'en' ? ', ' : '、');
}

export function roleName(role) {
  const s = lookup(messages[i18n.lang], 'role.' + role);
  return s === undefined ? role : s;
}

// Element Plus locale object for <el-config-provider>.
export const elementLocale = computed(() => (i18n.lang === 'en' ? window.ElementPlusLocaleEn : window.ElementPlusLocaleZhCn));
