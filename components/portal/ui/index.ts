/**
 * The portal's building blocks, one per file: buttons, fields wired for labels, hints and errors
 * (`aria-invalid`, `aria-describedby`), cards, badges, loading, empty and error states, and a
 * modal on the native <dialog> (focus moves in and back, Escape closes, the page behind is inert).
 */
export { cx, focusRing } from "./class-names";
export { Button, buttonClass, type ButtonProps } from "./button";
export { Spinner } from "./spinner";
export { Card } from "./card";
export { PageHeader } from "./page-header";
export type { Tone } from "./tone";
export { Badge } from "./badge";
export { Alert } from "./alert";
export { LoadingBlock, Skeleton } from "./skeleton";
export { EmptyState } from "./empty-state";
export { ErrorState } from "./error-state";
export { FieldErrorText, FieldShell } from "./field-shell";
export { TextField } from "./text-field";
export { TextAreaField } from "./text-area-field";
export { SelectField } from "./select-field";
export { subscribeModals, topModal } from "./modal-stack";
export { Modal, type ModalProps } from "./modal";
export { CopyButton } from "./copy-button";
export { ScrollRegion } from "./scroll-region";
export { CodeBlock } from "./code-block";
export { DescriptionList } from "./description-list";
export { Segmented } from "./segmented";
export { StatCard } from "./stat-card";
export { ExternalIcon } from "./external-icon";
