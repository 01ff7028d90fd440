// The application menu, in the system's language (Chinese unless it is
// English). Reload and DevTools only in development: a reload ends the session.
import type { MenuItemConstructorOptions } from 'electron';
import { app, dialog, Menu } from 'electron';
import type { ShellLanguage } from '../shell/shell-text.js';
import { APP_TITLE, APP_TITLE_EN, shellText } from '../shell/shell-text.js';

export function buildMenu(language: ShellLanguage, development: boolean): Menu {
  const t = shellText(language);
  const view: MenuItemConstructorOptions[] = [
    { role: 'zoomIn', label: t.zoomIn },
    { role: 'zoomOut', label: t.zoomOut },
    { role: 'resetZoom', label: t.resetZoom },
    { type: 'separator' },
    { role: 'togglefullscreen', label: t.fullScreen },
  ];
  if (development) {
    view.push({ type: 'separator' }, { role: 'reload', label: t.reload }, { role: 'toggleDevTools', label: t.devTools });
  }
  const template: MenuItemConstructorOptions[] = [
    { label: t.file, submenu: [{ role: 'quit', label: t.quit }] },
    {
      label: t.edit,
      submenu: [
        { role: 'undo', label: t.undo },
        { role: 'redo', label: t.redo },
        { type: 'separator' },
        { role: 'cut', label: t.cut },
        { role: 'copy', label: t.copy },
        { role: 'paste', label: t.paste },
        { role: 'selectAll', label: t.selectAll },
      ],
    },
    { label: t.view, submenu: view },
    {
      label: t.help,
      submenu: [
        {
          label: t.about,
          click: () => {
            void dialog.showMessageBox({
              type: 'info',
              title: t.about,
              message: language === 'en' ? APP_TITLE_EN : APP_TITLE,
              detail: t.aboutDetail(app.getVersion()),
              buttons: [t.ok],
            });
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
