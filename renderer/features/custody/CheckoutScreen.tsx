// 领用: the checkout wizard. Officer (badge scan or search) → the proposed
// camera and its pre-shift checks (第七条) → work type (第四条), expected end and
// any 第十五条 exception → done, with the 第八条 announcement and the offload
// deadline counting down. One decision per step, big targets, nothing to remember.
import { useEffect, useRef, useState } from 'react';
import type { CheckoutDetail, CheckoutProposal, ConfirmableCheck, WorkType } from '../../../shared/custody.js';
import { ANNOUNCEMENT, workTypes } from '../../../shared/custody.js';
import type { PersonRef } from '../../../shared/domain.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import { useFieldErrors, useSession, useStation, useStationTime } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextArea, TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';
import { ChecksList, isConfirmable } from './ChecksList.js';
import { Countdown } from './Countdown.js';
import type { ExceptionDraft } from './ExceptionFields.js';
import { ExceptionFields, NO_EXCEPTION, exceptionComplete } from './ExceptionFields.js';
import { localInput } from './time.js';

type Step = 'officer' | 'camera' | 'work' | 'done';
const STEPS: Step[] = ['officer', 'camera', 'work', 'done'];

export function CheckoutScreen() {
  const { t } = useI18n();
  const { client, status } = useStation();
  const [step, setStep] = useState<Step>('officer');
  const [proposal, setProposal] = useState<CheckoutProposal | null>(null);
  const [result, setResult] = useState<{ detail: CheckoutDetail; asOf: number } | null>(null);
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [decisions, setDecisions] = useState<CheckDecisions>(NO_DECISIONS);
  // The core's clock, for the default expected end (the browser's clock may differ).
  const mine = useQuery('custody.mine', {});
  const coreNow = mine.result?.ok ? mine.result.value.asOf : null;

  const propose = async (input: { badge: string } | { officerId: number }) => {
    const r = await client.call('custody.propose', input);
    if (!r.ok) return setError(r.error);
    setError(null);
    setProposal(r.value);
    setDecisions(NO_DECISIONS);
    setStep('camera');
  };

  const restart = () => {
    setProposal(null);
    setResult(null);
    setError(null);
    setStep('officer');
  };

  return (
    <section className="page wizard">
      <div className="page-head">
        <h1 className="screen-title">{t('checkout.title')}</h1>
        {step !== 'officer' && (
          <button type="button" className="btn btn-secondary" onClick={restart}>
            {step === 'done' ? t('checkout.next') : t('checkout.startOver')}
          </button>
        )}
      </div>
      <ol className="steps" aria-label={t('checkout.stepsLabel')}>
        {STEPS.map((s, i) => (
          <li key={s} className={s === step ? 'step step-current' : 'step'} aria-current={s === step ? 'step' : undefined}>
            <span className="step-number">{i + 1}</span> {t(`checkout.step.${s}`)}
          </li>
        ))}
      </ol>
      <ErrorAlert error={error} />
      {step === 'officer' && <OfficerStep onBadge={(badge) => void propose({ badge })} onPerson={(p) => void propose({ officerId: p.id })} />}
      {step === 'camera' && proposal && <CameraStep proposal={proposal} decisions={decisions} onDecisions={setDecisions} onBack={restart} onNext={() => setStep('work')} />}
      {step === 'work' && proposal?.proposed && (
        <WorkStep
          proposal={proposal}
          decisions={decisions}
          defaultEnd={coreNow !== null ? localInput(coreNow + 4 * 3600_000, status.timeZone) : ''}
          onBack={() => setStep('camera')}
          onDone={(detail) => {
            setResult({ detail, asOf: detail.checkedOutAt });
            setStep('done');
          }}
        />
      )}
      {step === 'done' && result && <DoneStep detail={result.detail} asOf={result.asOf} />}
    </section>
  );
}

function OfficerStep({ onBadge, onPerson }: { onBadge(badge: string): void; onPerson(p: PersonRef): void }) {
  const { t } = useI18n();
  const [badge, setBadge] = useState('');
  const [person, setPerson] = useState<PersonRef | null>(null);
  const badgeField = useRef<HTMLInputElement>(null);
  // A keyboard-wedge reader types into whatever has focus: the badge field must
  // have it. The shell moves focus to the new screen after our effects ran, so
  // take it back on the next frame.
  useEffect(() => {
    const frame = window.requestAnimationFrame(() => badgeField.current?.focus());
    return () => window.cancelAnimationFrame(frame);
  }, []);
  return (
    <div className="wizard-body">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (badge.trim()) onBadge(badge.trim());
        }}
      >
        <h2 className="section-title">{t('checkout.scanTitle')}</h2>
        <TextField
          label={t('checkout.badge')}
          hint={t('checkout.badgeHint')}
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          inputClassName="input-huge"
          inputMode="numeric"
          autoComplete="off"
          ref={badgeField}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={!badge.trim()}>
          {t('checkout.findOfficer')}
        </button>
      </form>
      <div className="card">
        <h2 className="section-title">{t('checkout.searchTitle')}</h2>
        <PersonPicker legend={t('checkout.officer')} value={person} onChange={setPerson} allowNone={false} />
        <button type="button" className="btn btn-primary btn-block" disabled={!person} onClick={() => person && onPerson(person)}>
          {t('checkout.useOfficer')}
        </button>
      </div>
    </div>
  );
}

/** What the custodian confirmed by looking at the camera, and 综合处's override, kept until the checkout is made. */
interface CheckDecisions {
  confirmed: Set<ConfirmableCheck>;
  overrideReason: string;
}
const NO_DECISIONS: CheckDecisions = { confirmed: new Set(), overrideReason: '' };

function CameraStep({
  proposal,
  decisions,
  onDecisions,
  onBack,
  onNext,
}: {
  proposal: CheckoutProposal;
  decisions: CheckDecisions;
  onDecisions(d: CheckDecisions): void;
  onBack(): void;
  onNext(): void;
}) {
  const { t } = useI18n();
  const { can } = useSession();
  const time = useStationTime();
  const { confirmed, overrideReason } = decisions;
  const setOverrideReason = (overrideReason: string) => onDecisions({ ...decisions, overrideReason });
  const { officer, proposed } = proposal;

  const checks = proposed?.checks ?? [];
  const failed = checks.filter((c) => c.result === 'fail');
  const unconfirmed = checks.filter((c) => c.result === 'unknown' && !(isConfirmable(c) && confirmed.has(c.check)));
  const blocked = failed.some((c) => !c.overridable) || unconfirmed.some((c) => !c.confirmable);
  const needsOverride = failed.length > 0 || unconfirmed.length > 0;
  const mayOverride = can('custody.override') && !blocked;
  const ready = !!proposed && proposal.mayTakeAnother && !blocked && (!needsOverride || (mayOverride && overrideReason.trim().length > 0));

  return (
    <div className="wizard-body wizard-single">
      <div className="card">
        <h2 className="section-title">{t('checkout.officerFound')}</h2>
        <p className="big-line">
          {t('common.personRef', { name: officer.name, badge: officer.badge })}
          {officer.unit && <span className="muted"> · {officer.unit}</span>}
        </p>
        {proposal.openCheckouts.length > 0 && (
          <p className="alert alert-warn">
            {t('checkout.holding', {
              serials: proposal.openCheckouts.map((c) => `${c.device.serial}（${time(c.checkedOutAt)}）`).join(t('common.listSeparator')),
            })}
          </p>
        )}
        {!proposal.mayTakeAnother && <p className="alert alert-error">{t('checkout.mayNotTakeAnother')}</p>}
      </div>
      {proposed ? (
        <div className="card">
          <h2 className="section-title">{t('checkout.camera')}</h2>
          <p className="big-line">
            <span className="mono">{proposed.device.serial}</span>
            {proposed.device.model && <span className="muted"> · {proposed.device.model}</span>}
          </p>
          <p className="muted">{t(`checkout.because.${proposed.because}`)}</p>
          <h3 className="section-title">{t('checks.title')}</h3>
          <ChecksList
            checks={checks}
            confirmed={confirmed}
            onConfirm={(check, yes) => {
              const next = new Set(confirmed);
              if (yes) next.add(check);
              else next.delete(check);
              onDecisions({ ...decisions, confirmed: next });
            }}
          />
          {blocked && <p className="alert alert-error">{t('checkout.blocked')}</p>}
          {!blocked && needsOverride && !mayOverride && <p className="alert alert-warn">{t('checkout.needsOverride')}</p>}
          {!blocked && needsOverride && mayOverride && (
            <TextArea
              label={t('checkout.overrideReason')}
              hint={t('checkout.overrideHint')}
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.target.value)}
              maxLength={500}
              rows={2}
            />
          )}
        </div>
      ) : (
        <p className="alert alert-error">{t('checkout.noCamera')}</p>
      )}
      {proposal.ownCameras.some((c) => !c.available) && (
        <ul className="plain-list muted">
          {proposal.ownCameras
            .filter((c) => !c.available)
            .map((c) => (
              <li key={c.device.id}>
                {t('checkout.ownUnavailable', { serial: c.device.serial, why: t(`checkout.unavailable.${c.unavailableBecause ?? 'checked_out'}`) })}
              </li>
            ))}
        </ul>
      )}
      <div className="button-row wizard-actions">
        <button type="button" className="btn btn-secondary" onClick={onBack}>
          {t('checkout.back')}
        </button>
        <button type="button" className="btn btn-primary btn-large" disabled={!ready} onClick={onNext}>
          {t('checkout.toWork')}
        </button>
      </div>
    </div>
  );
}

function WorkStep({
  proposal,
  decisions,
  defaultEnd,
  onBack,
  onDone,
}: {
  proposal: CheckoutProposal;
  decisions: CheckDecisions;
  defaultEnd: string;
  onBack(): void;
  onDone(d: CheckoutDetail): void;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const [workType, setWorkType] = useState<WorkType | null>(null);
  const [expectedEnd, setExpectedEnd] = useState(defaultEnd);
  const [withException, setWithException] = useState(false);
  const [exception, setException] = useState<ExceptionDraft>(NO_EXCEPTION);
  const [note, setNote] = useState('');
  const [error, setError] = useState<StationErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldErrors(error);
  const proposed = proposal.proposed!;
  const { confirmed, overrideReason } = decisions;
  const exceptionReady = !withException || exceptionComplete(exception);
  const ready = workType !== null && expectedEnd !== '' && exceptionReady;

  const submit = async () => {
    if (!workType) return;
    setBusy(true);
    const r = await client.call('custody.checkout', {
      officerId: proposal.officer.id,
      deviceId: proposed.device.id,
      workType,
      expectedEnd,
      ...(note.trim() ? { note } : {}),
      ...(confirmed.size > 0 ? { confirmed: [...confirmed] } : {}),
      ...(withException && exception.kind ? { exception: { kind: exception.kind, reason: exception.reason, declaredReturn: exception.declaredReturn } } : {}),
      ...(overrideReason.trim() ? { override: { reason: overrideReason } } : {}),
    });
    setBusy(false);
    if (r.ok) return onDone(r.value);
    setError(r.error);
  };

  return (
    <form
      className="wizard-body wizard-single"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void submit();
      }}
    >
      <ErrorAlert error={error} />
      <div className="card">
        <fieldset className="fieldset">
        <legend className="field-label">{t('checkout.workType')}</legend>
        <div className="check-grid choice-grid">
          {workTypes.map((w) => (
            <label key={w} className="check-tile choice-tile">
              <input type="radio" name="workType" checked={workType === w} onChange={() => setWorkType(w)} />
              <span className="check-tile-title">{t(`workType.${w}`)}</span>
            </label>
          ))}
        </div>
        {fieldError('workType') && <p className="field-error">{fieldError('workType')}</p>}
        </fieldset>
      </div>
      <div className="card">
        <TextField
          label={t('checkout.expectedEnd')}
          hint={t('checkout.expectedEndHint')}
          type="datetime-local"
          value={expectedEnd}
          onChange={(e) => setExpectedEnd(e.target.value)}
          error={fieldError('expectedEnd')}
        />
        <label className="check-inline">
          <input type="checkbox" checked={withException} onChange={(e) => setWithException(e.target.checked)} />
          <span>{t('checkout.exceptionToggle')}</span>
        </label>
        {withException && (
          <div className="exception-box">
            <ExceptionFields
              value={exception}
              onChange={setException}
              errors={{ reason: fieldError('exception.reason'), declaredReturn: fieldError('exception.declaredReturn') }}
            />
          </div>
        )}
        <TextArea label={t('fields.note')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} />
      </div>
      <div className="button-row wizard-actions">
        <button type="button" className="btn btn-secondary" onClick={onBack}>
          {t('checkout.back')}
        </button>
        <button type="submit" className="btn btn-primary btn-large" disabled={!ready || busy}>
          {busy ? t('common.working') : t('checkout.confirm', { serial: proposed.device.serial })}
        </button>
      </div>
    </form>
  );
}

function DoneStep({ detail, asOf }: { detail: CheckoutDetail; asOf: number }) {
  const { t } = useI18n();
  const time = useStationTime();
  return (
    <div className="wizard-body wizard-single">
      <p className="alert alert-ok done-banner" role="status">
        {t('checkout.done', { serial: detail.device.serial, officer: t('common.personRef', { name: detail.officer.name, badge: detail.officer.badge }) })}
      </p>
      <figure className="announcement">
        <figcaption>{t('checkout.announceLead')}</figcaption>
        <blockquote lang="zh-CN">{ANNOUNCEMENT}</blockquote>
      </figure>
      <div className="card deadline-card">
        <h2 className="section-title">{t('checkout.deadlineTitle')}</h2>
        <p className="deadline-at" data-testid="deadline">
          {time(detail.deadlineAt)}
        </p>
        <p className="lead">
          <Countdown deadlineAt={detail.deadlineAt} asOf={asOf} />
        </p>
        <p className="muted">
          {detail.deadlineRule === 'exception' && detail.exception
            ? t('checkout.ruleException', { kind: t(`offloadException.${detail.exception.kind}`), at: time(detail.exception.declaredReturnAt) })
            : t('checkout.ruleSameDay')}
        </p>
        <dl className="facts">
          <dt>{t('checkout.workType')}</dt>
          <dd>{t(`workType.${detail.workType}`)}</dd>
          <dt>{t('checkout.expectedEnd')}</dt>
          <dd>{time(detail.expectedEndAt)}</dd>
          {detail.override && (
            <>
              <dt>{t('checkout.override')}</dt>
              <dd>{t('checkout.overrideBy', { reason: detail.override.reason, by: detail.override.by })}</dd>
            </>
          )}
        </dl>
      </div>
      <a className="btn btn-secondary" href={href({ screen: 'home' })}>
        {t('checkout.toBoard')}
      </a>
    </div>
  );
}
