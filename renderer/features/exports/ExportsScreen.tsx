// 光盘导出登记 (第十七、二十条): every export the station made or was asked to make, newest
// first, with its state, case, recordings, 制作人, 提取人 and 提取时间; filtered by state and
// taken away as CSV. A department head also finds here the exports that wait for them, and the
// station's rule on which exports need approval. The lists follow export.changed (nothing polls).
import { useState } from 'react';
import type { ExportRecord, ExportState } from '../../../shared/export.js';
import { exportStates } from '../../../shared/export.js';
import { useSession, useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextField } from '../../app/ui/Field.js';
import { Pager, useCursorPages } from '../../app/ui/Pager.js';
import { RegisterExports } from '../../app/ui/RegisterExports.js';
import { useI18n } from '../../i18n/i18n.js';
import { dayRange } from '../library/filters.js';
import { ApprovalSetting } from './ApprovalSetting.js';
import { ApproveExportDialog, RefuseExportDialog } from './DecideDialogs.js';
import { ExportTable } from './ExportTable.js';
import { recipientText, stateText } from './words.js';

const REFRESH = ['export.changed'] as const;
const PAGE = 50;
/** Few exports wait at once (each for one decision): one long page holds them. */
const PENDING_LIMIT = 500;

export function ExportsScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="page">
      <h1 className="screen-title">{t('exports.title')}</h1>
      <p className="lead">{t('exports.intro')}</p>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {can('export.approve') && <PendingForMe onNotice={setNotice} />}
      <ApprovalSetting />
      <Register onNotice={setNotice} />
    </section>
  );
}

type Deciding = { record: ExportRecord; approve: boolean } | null;

/** The head's inbox: others' exports that wait (their own wait for another head). */
function PendingForMe({ onNotice }: { onNotice(text: string): void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [deciding, setDeciding] = useState<Deciding>(null);
  const list = useQuery('exports.list', { state: 'pending_approval', limit: PENDING_LIMIT }, { refreshOn: REFRESH });
  const others = list.result?.ok ? list.result.value.exports.filter((e) => e.maker.personId !== session.person.id) : [];
  const done = (key: string) => (r: ExportRecord) => {
    setDeciding(null);
    onNotice(t(key, { exportNo: r.exportNo, who: recipientText(t, r.recipient) }));
  };
  return (
    <section className="card" aria-labelledby="exports-pending">
      <h2 id="exports-pending" className="section-title">
        {t('exports.pending', { n: others.length })}
      </h2>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && (
        <ExportTable
          label={t('exports.pendingLabel')}
          exports={others}
          empty={t('exports.pendingEmpty')}
          action={(e) => (
            <div className="row-actions">
              <button type="button" className="btn btn-small btn-primary nowrap" onClick={() => setDeciding({ record: e, approve: true })}>
                {t('exports.approve')}
              </button>
              <button type="button" className="btn btn-small btn-danger-outline nowrap" onClick={() => setDeciding({ record: e, approve: false })}>
                {t('exports.refuse')}
              </button>
            </div>
          )}
        />
      )}
      {deciding?.approve && <ApproveExportDialog record={deciding.record} onClose={() => setDeciding(null)} onDone={done('exports.approved')} />}
      {deciding && !deciding.approve && <RefuseExportDialog record={deciding.record} onClose={() => setDeciding(null)} onDone={done('exports.refused')} />}
    </section>
  );
}

function Register({ onNotice }: { onNotice(text: string): void }) {
  const { t } = useI18n();
  const { client, status } = useStation();
  const [state, setState] = useState<ExportState | ''>('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const pages = useCursorPages<number>();
  // Calendar days on the station's clock (the last one whole), by when each export was recorded.
  const range = dayRange(fromDay, toDay, status.timeZone);
  const list = useQuery(
    'exports.list',
    { ...(state ? { state } : {}), ...range, limit: PAGE, ...(pages.before === undefined ? {} : { beforeId: pages.before }) },
    { refreshOn: REFRESH },
  );
  const setDay = (set: (day: string) => void) => (day: string) => {
    set(day);
    pages.reset();
  };
  const exports = list.result?.ok ? list.result.value.exports : [];
  return (
    // Not a named region itself: its table is, by the same name.
    <section>
      <h2 className="section-title">
        {t('exports.register')}
      </h2>
      {/* The filters; the register's days printed or taken away (made and audited by the core; saved where the person chooses). */}
      <div className="form-row">
        <TextField label={t('exports.fromDay')} type="date" value={fromDay} onChange={(e) => setDay(setFromDay)(e.target.value)} />
        <TextField label={t('exports.toDay')} type="date" value={toDay} onChange={(e) => setDay(setToDay)(e.target.value)} />
      </div>
      <div className="toolbar">
        <SelectField
          label={t('exports.filter')}
          value={state}
          onChange={(e) => {
            setState(e.target.value as ExportState | '');
            pages.reset();
          }}
        >
          <option value="">{t('exports.allStates')}</option>
          {exportStates.map((s) => (
            <option key={s} value={s}>
              {stateText(t, s)}
            </option>
          ))}
        </SelectField>
        <RegisterExports
          label={t('exports.registerExports')}
          buttonText={(format) => t(`exports.export.${format}`)}
          make={(format) => client.call(format === 'csv' ? 'exports.registerCsv' : format === 'pdf' ? 'exports.registerPdf' : 'exports.registerXlsx', range)}
          onSaved={(r) => onNotice(t('exports.csvDone', { n: r.rows, file: r.fileName }))}
        />
      </div>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && <ExportTable label={t('exports.register')} exports={exports} empty={t(state ? 'exports.emptyState' : 'exports.empty')} />}
      <Pager pages={pages} olderFrom={exports.length === PAGE ? exports.at(-1)?.id : undefined} newerLabel={t('viewing.newer')} olderLabel={t('viewing.older')} />
    </section>
  );
}
