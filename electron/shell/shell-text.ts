// Every string the shell itself shows (menu, dialogs), in zh-CN and en. The
// renderer has its own translation files; these few live in main, which shows
// them before or without the renderer. No `electron` import.

export type ShellLanguage = 'zh-CN' | 'en';

export const APP_TITLE = '执法记录仪证据采集站';
export const APP_TITLE_EN = 'Evidence Station for Body-Worn Cameras';

const text = {
  'zh-CN': {
    file: '文件',
    quit: '退出',
    edit: '编辑',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    view: '视图',
    zoomIn: '放大',
    zoomOut: '缩小',
    resetZoom: '实际大小',
    fullScreen: '全屏',
    reload: '重新加载',
    devTools: '开发者工具',
    help: '帮助',
    about: '关于',
    aboutDetail: (version: string) => `版本 ${version}`,
    ok: '确定',
  },
  en: {
    file: 'File',
    quit: 'Quit',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: 'View',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    resetZoom: 'Actual Size',
    fullScreen: 'Full Screen',
    reload: 'Reload',
    devTools: 'Developer Tools',
    help: 'Help',
    about: 'About',
    aboutDetail: (version: string) => `Version ${version}`,
    ok: 'OK',
  },
} as const;

export type ShellText = (typeof text)[ShellLanguage];

/** Chinese first: English only when the system asks for English. */
export function shellLanguage(systemLocale: string): ShellLanguage {
  return /^en\b/i.test(systemLocale) ? 'en' : 'zh-CN';
}

export function shellText(language: ShellLanguage): ShellText {
  return text[language];
}

/**
 * The dialogs about the core are rare and serious, so they carry both
 * languages at once: whoever is at the station can read them.
 */
/** The packaged app was started with a switch it refuses (shell-options.ts refusedSwitches). */
export const refusedSwitchText = (switches: readonly string[]) =>
  `采集站拒绝以调试参数启动：${switches.join('、')}。请去掉这些参数后重新启动。\nThe station refuses to start with debugging switches: ${switches.join(', ')}. Start it without them.`;

export const coreDialogs = {
  title: `${APP_TITLE} / ${APP_TITLE_EN}`,
  fatal: '站点无法启动。\nThe station could not start.',
  gaveUp: (crashes: number) =>
    `站点核心连续 ${crashes} 次意外退出，已停止重启。\nThe station core stopped unexpectedly ${crashes} times in a row; it is no longer restarted.`,
  logHint: (logFile: string) => `日志 / Log: ${logFile}`,
  retry: '重试 / Retry',
  quit: '退出 / Quit',
  startFailed: '站点无法启动，请查看日志。\nThe station could not start; see the log.',
};
