// 第五条 no-recording records: file one (officers, custodians, 综合处), acknowledge those sent to
// you (部门负责人), and look through them (custody.view; officers see their own).
// Every list follows norecord.changed: nothing polls.
import { useState } from 'react';
import type { NoRecordingRecord } from '../../../shared/custody.js';
import { useSession, useStation } from '../../app/context.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { NoRecordForm } from './NoRecordForm.js';
import { RecordTable } from './RecordTable.js';

const REFRESH = ['norecord.changed'] as const;
type Filter = 'pending' | 'acknowledged' | 'all';

export function NoRecordScreen() {
  const { t } = useI18n();
  const { can } = useSession();
  const [filing, setFiling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [acknowledging, setAcknowledging] = useState<NoRecordingRecord | null>(null);

  return (
    <section className="page">
      <div className="page-head">
        <h1 className="screen-title">{t('norecord.title')}</h1>
        {!filing && can('norecord.file') && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setNotice(null);
              setFiling(true);
            }}
          >
            {t('norecord.new')}
          </button>
        )}
      </div>
      <p className="lead">{t('norecord.intro')}</p>
      {notice && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      {filing && (
        <NoRecordForm
          onCancel={() => setFiling(false)}
          onFiled={(r) => {
            setFiling(false);
            setNotice(t('norecord.filed', { head: t('common.personRef', { name: r.head.name, badge: r.head.badge }) }));
          }}
        />
      )}
      {can('norecord.acknowledge') && <Inbox onAcknowledge={setAcknowledging} />}
      {can('custody.view') ? <AllRecords /> : <MyRecords />}
      {acknowledging && (
        <AcknowledgeDialog
          record={acknowledging}
          onClose={() => setAcknowledging(null)}
          onDone={(r) => {
            setAcknowledging(null);
            setNotice(t('norecord.acknowledgedNotice', { officer: t('common.personRef', { name: r.officer.name, badge: r.officer.badge }) }));
          }}
        />
      )}
    </section>
  );
}

/** 部门负责人: the records sent to me that still wait for my acknowledgement. */
function Inbox({ onAcknowledge }: { onAcknowledge(r: NoRecordingRecord): void }) {
  const { t } = useI18n();
  const inbox = useQuery('norecord.list', { toMe: true, pending: true }, { refreshOn: REFRESH });
  return (
    <section className="card" aria-labelledby="norecord-inbox">
      <h2 id="norecord-inbox" className="section-title">
        {t('norecord.inbox')}
      </h2>
      {inbox.result && !inbox.result.ok && <ErrorAlert error={inbox.result.error} />}
      {inbox.result?.ok && (
        <RecordTable
          label={t('norecord.inbox')}
          records={inbox.result.value}
          empty={t('norecord.inboxEmpty')}
          showHead={false}
          action={(r) => (
            <button type="button" className="btn btn-primary nowrap" onClick={() => onAcknowledge(r)}>
              {t('norecord.acknowledge')}
            </button>
          )}
        />
      )}
    </section>
  );
}

function AllRecords() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('pending');
  const list = useQuery('norecord.list', filter === 'all' ? {} : { pending: filter === 'pending' }, { refreshOn: REFRESH });
  return (
    <section aria-labelledby="norecord-all">
      <h2 id="norecord-all" className="section-title">
        {t('norecord.all')}
      </h2>
      <div className="segmented filter-segmented" role="group" aria-label={t('norecord.filter')}>
        {(['pending', 'acknowledged', 'all'] as const).map((f) => (
          <button key={f} type="button" className="segmented-option" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(`norecord.show.${f}`)}
          </button>
        ))}
      </div>
      {list.result && !list.result.ok && <ErrorAlert error={list.result.error} />}
      {list.result?.ok && <RecordTable label={t('norecord.all')} records={list.result.value} empty={t('norecord.none')} />}
    </section>
  );
}

/** An officer (no custody.view) sees their own records, from their history. */
function MyRecords() {
  const { t } = useI18n();
  const mine = useQuery('custody.mine', {}, { refreshOn: REFRESH });
  return (
    <section aria-labelledby="norecord-mine">
      <h2 id="norecord-mine" className="section-title">
        {t('norecord.mine')}
      </h2>
      {mine.result && !mine.result.ok && <ErrorAlert error={mine.result.error} />}
      {mine.result?.ok && <RecordTable label={t('norecord.mine')} records={mine.result.value.noRecordings} empty={t('norecord.none')} />}
    </section>
  );
}

function AcknowledgeDialog({ record, onClose, onDone }: { record: NoRecordingRecord; onClose(): void; onDone(r: NoRecordingRecord): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [note, setNote] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = () => void run(() => client.call('norecord.acknowledge', { id: record.id, ...(note.trim() ? { note } : {}) }), onDone);
  return (
    <Dialog
      title={t('norecord.ackTitle')}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('norecord.acknowledge')} busy={busy} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <p className="big-line">{t('common.personRef', { name: record.officer.name, badge: record.officer.badge })}</p>
      <p>
        <strong>{t(`norecordReason.${record.reason}`)}</strong>
      </p>
      <p className="norecord-detail">{record.detail}</p>
      <TextArea label={t('norecord.ackNote')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} data-autofocus />
    </Dialog>
  );
}
