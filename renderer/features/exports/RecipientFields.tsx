// 提取人 (第十七条): who takes the discs away. A person of the station's registry (picked by
// 警号 or name; only for those who may read the registry), or someone from outside — a court
// clerk, another unit's officer — with their unit and ID number, as the sheet prints them.
import { useId } from 'react';
import type { PersonRef } from '../../../shared/domain.js';
import { useSession } from '../../app/context.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { PersonPicker } from '../devices/PersonPicker.js';

export interface OutsideRecipient {
  name: string;
  unit: string;
  idNo: string;
}

export type RecipientDraft = { kind: 'person'; person: PersonRef | null } | ({ kind: 'outside' } & OutsideRecipient);

/** The core's rule for an ID number (居民身份证, 警官证, 工作证): 4–40 letters, digits or -. */
export const ID_NO = /^[0-9A-Za-z-]{4,40}$/;

export type RecipientProblem = 'person' | 'name' | 'unit' | 'idNo' | 'self';

/** What is still wrong with the draft, field by field (the core checks again). */
export function recipientProblems(r: RecipientDraft, selfId: number): RecipientProblem[] {
  if (r.kind === 'person') return r.person === null ? ['person'] : r.person.id === selfId ? ['self'] : [];
  const out: RecipientProblem[] = [];
  if (!r.name.trim()) out.push('name');
  if (!r.unit.trim()) out.push('unit');
  if (!ID_NO.test(r.idNo.trim())) out.push('idNo');
  return out;
}

export function RecipientFields({ value, onChange, problems }: { value: RecipientDraft; onChange(r: RecipientDraft): void; problems: readonly RecipientProblem[] }) {
  const { t } = useI18n();
  const { can } = useSession();
  const name = useId();
  const idNoHint = useId();
  // Without people.view the registry cannot be read here: the 提取人 is written in.
  const registry = can('people.view');
  const outside: OutsideRecipient = value.kind === 'outside' ? value : { name: '', unit: '', idNo: '' };
  const setOutside = (patch: Partial<OutsideRecipient>) => onChange({ kind: 'outside', ...outside, ...patch });
  return (
    <fieldset className="fieldset">
      <legend className="field-label">{t('exports.new.recipient')}</legend>
      <p className="field-hint">{t('exports.new.recipientHint')}</p>
      {registry && (
        <div className="check-grid">
          <label className="check-tile choice-tile">
            <input type="radio" name={name} checked={value.kind === 'outside'} onChange={() => onChange({ kind: 'outside', ...outside })} />
            <span className="check-tile-title">{t('exports.new.outside')}</span>
          </label>
          <label className="check-tile choice-tile">
            <input type="radio" name={name} checked={value.kind === 'person'} onChange={() => onChange({ kind: 'person', person: null })} />
            <span className="check-tile-title">{t('exports.new.registered')}</span>
          </label>
        </div>
      )}
      {value.kind === 'person' ? (
        <PersonPicker
          legend={t('exports.new.pickPerson')}
          value={value.person}
          onChange={(person) => onChange({ kind: 'person', person })}
          allowNone={false}
          error={problems.includes('person') ? t('exports.new.personRequired') : problems.includes('self') ? t('exports.new.notSelf') : undefined}
        />
      ) : (
        <>
          <div className="form-row">
            <TextField
              label={t('exports.new.outsideName')}
              value={outside.name}
              onChange={(e) => setOutside({ name: e.target.value })}
              error={problems.includes('name') ? t('validation.name') : undefined}
              maxLength={64}
              autoComplete="off"
            />
            <TextField
              label={t('exports.new.outsideUnit')}
              value={outside.unit}
              onChange={(e) => setOutside({ unit: e.target.value })}
              error={problems.includes('unit') ? t('exports.new.unitRequired') : undefined}
              maxLength={128}
              autoComplete="off"
            />
            <TextField
              label={t('exports.new.outsideIdNo')}
              value={outside.idNo}
              onChange={(e) => setOutside({ idNo: e.target.value })}
              error={problems.includes('idNo') ? t('exports.new.idNoInvalid') : undefined}
              maxLength={40}
              autoComplete="off"
              inputClassName="mono"
              aria-describedby={problems.includes('idNo') ? undefined : idNoHint}
            />
          </div>
          {/* Under the row, not in the field: a hint in one of three fields would push its box out of line. */}
          <p id={idNoHint} className="field-hint">
            {t('exports.new.idNoHint')}
          </p>
        </>
      )}
    </fieldset>
  );
}
