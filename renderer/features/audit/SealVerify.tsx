// 核验封存: the 32-character code typed from a seal sheet, or its QR code read
// by a keyboard-wedge scanner (which types the text and Enter, so the form
// sends itself), and what the station still holds of that seal.
import { useState } from 'react';
import type { SealVerification } from '../../../shared/seal.js';
import { groupSealCode } from '../../../shared/seal.js';
import { useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';

export function SealVerify() {
  const { t } = useI18n();
  const { client } = useStation();
  const [text, setText] = useState('');
  const [result, setResult] = useState<SealVerification | null>(null);
  const submit = useSubmit();

  const verify = () => {
    if (!text.trim()) return;
    setResult(null);
    void submit.run(() => client.call('audit.seal.verify', { seal: text }), setResult);
  };

  return (
    <form
      className="seal-verify"
      aria-labelledby="seal-verify-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        verify();
      }}
    >
      <h3 id="seal-verify-title" className="seal-subtitle">
        {t('audit.seal.verifyTitle')}
      </h3>
      <div className="toolbar">
        <TextField
          className="seal-verify-field"
          inputClassName="mono"
          label={t('audit.seal.verifyLabel')}
          hint={t('audit.seal.verifyHint')}
          value={text}
          maxLength={1000}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          error={submit.fieldError('seal')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={submit.busy || !text.trim()}>
          {submit.busy ? t('common.working') : t('audit.seal.verify')}
        </button>
      </div>
      {submit.error && !submit.fieldError('seal') && <ErrorAlert error={submit.error} />}
      {result && <SealResult result={result} />}
    </form>
  );
}

function SealResult({ result }: { result: SealVerification }) {
  const { t } = useI18n();
  const s = result.seal;
  if (result.ok && s) {
    return (
      <div className="chain chain-ok seal-result" role="status" data-testid="seal-result">
        <span className="chain-mark" aria-hidden="true">
          ✔
        </span>
        <div className="chain-text">
          <strong>{t('audit.seal.ok', { number: s.number, day: s.day })}</strong>
          <span>{t('audit.seal.okDetail', { seq: s.auditSeq, clips: s.clipCount })}</span>
          {result.given === 'payload' && <span>{t('audit.seal.okComputed', { code: groupSealCode(s.code) })}</span>}
        </div>
      </div>
    );
  }
  return (
    <div className="chain chain-broken seal-result" role="alert" data-testid="seal-result">
      <span className="chain-mark" aria-hidden="true">
        ✖
      </span>
      <div className="chain-text">
        <strong>{t('audit.seal.failed')}</strong>
        {s && <span>{t('audit.seal.failedOf', { number: s.number, day: s.day, code: groupSealCode(s.code) })}</span>}
        <ul className="seal-findings">
          {result.findings.map((f, i) => (
            <li key={i}>{t(`audit.seal.finding.${f.kind}`, f.params)}</li>
          ))}
        </ul>
        <span>{t('audit.seal.whatNow')}</span>
      </div>
    </div>
  );
}
