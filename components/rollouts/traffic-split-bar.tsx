import { formatBasisPoints } from "@/lib/domain/rollouts";
import styles from "./rollouts.module.css";

/**
 * The split in force: control and treatment shares of users, and the shadow sample when the
 * treatment also receives copies of requests.
 */
export function TrafficSplitBar({
  trafficBasisPoints,
  shadowSampleBasisPoints,
  controlVariant,
  treatmentVariant,
}: {
  trafficBasisPoints: number;
  shadowSampleBasisPoints: number;
  controlVariant: string;
  treatmentVariant: string;
}) {
  const treatment = Math.max(0, Math.min(10_000, trafficBasisPoints));
  const control = 10_000 - treatment;
  return (
    <div data-testid="traffic-split" data-treatment-bp={treatment}>
      <div className={styles.splitBar} role="img" aria-label={`${formatBasisPoints(control)} of users on ${controlVariant}, ${formatBasisPoints(treatment)} on ${treatmentVariant}`}>
        {control > 0 && (
          <div className={styles.splitControl} style={{ flexBasis: `${control / 100}%` }}>
            {control >= 1500 ? formatBasisPoints(control) : ""}
          </div>
        )}
        {treatment > 0 && (
          <div className={styles.splitTreatment} style={{ flexBasis: `${treatment / 100}%`, minWidth: 4 }}>
            {treatment >= 1500 ? formatBasisPoints(treatment) : ""}
          </div>
        )}
      </div>
      <div className={styles.splitLegend}>
        <span>
          <span className={`${styles.swatch} ${styles.swatchControl}`} aria-hidden />
          Control <code>{controlVariant}</code>: {formatBasisPoints(control)}
        </span>
        <span>
          <span className={`${styles.swatch} ${styles.swatchTreatment}`} aria-hidden />
          Treatment <code>{treatmentVariant}</code>: {formatBasisPoints(treatment)}
          {shadowSampleBasisPoints > 0 && <> · shadow copy of {formatBasisPoints(shadowSampleBasisPoints)} of requests</>}
        </span>
      </div>
    </div>
  );
}
