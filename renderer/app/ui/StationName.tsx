import { translate } from '../../i18n/catalog.js';

/**
 * The station's own name (from its config) under the product title. The
 * default name is the product's Chinese title itself; repeating it adds
 * nothing, so only a name a site gave its station is shown.
 */
export function StationName({ name }: { name: string }) {
  if (!name || name === translate('zh-CN', 'app.title')) return null;
  return (
    <span className="brand-station" lang="zh-CN">
      {name}
    </span>
  );
}
