"""The form's own words, per interface language (``/?ui=ar``). The handout's language is
chosen separately: front-desk staff may work in one language and print in another.

An interface language missing a word falls back to English for that word; a language
written right to left lays the whole page out right to left.
"""

from __future__ import annotations

ENGLISH = {
    "title": "Print a patient handout",
    "intro": "Choose the medicine, the patient's language and how much detail they need. "
    "Check the preview, then download or open the PDF to print it.",
    "interface": "Language of this page",
    "medicine": "Medicine",
    "lang": "Patient's language",
    "level": "Reading level",
    "level_easy": "Easy: short words and sentences",
    "level_standard": "Standard",
    "level_detailed": "Detailed: more background",
    "paper": "Paper",
    "paper_default": "The clinic's usual paper",
    "paper_letter": "Letter (US)",
    "paper_a4": "A4",
    "layout": "Sections",
    "layout_all": "Every section",
    "require_reviewed": "Print only content a pharmacist has reviewed",
    "preview": "Preview",
    "download": "Download PDF",
    "open": "Open PDF to print",
    "problem": "There is a problem",
    "preview_of": "Page 1 of the handout",
    "pages": "{pages} pages",
    "one_page": "1 page",
    "draft": "Draft: not yet reviewed by a pharmacist. Every page is marked DRAFT.",
    "print_hint": "To print: open the PDF, then use Print in the PDF viewer.",
    "no_translation": "{medicine} is not written in {language}. It is written in: {languages}.",
    "is_draft": "{medicine} in {language} is a draft: a pharmacist has not reviewed it yet. "
    "Untick this box to print it marked DRAFT.",
    "expired": "This form was open too long or came from another page. Please try again.",
    "choose": "Choose one from the list.",
}

SPANISH = {
    "title": "Imprimir una hoja para el paciente",
    "intro": "Elija el medicamento, el idioma del paciente y cuánto detalle necesita. "
    "Revise la vista previa y luego descargue o abra el PDF para imprimirlo.",
    "interface": "Idioma de esta página",
    "medicine": "Medicamento",
    "lang": "Idioma del paciente",
    "level": "Nivel de lectura",
    "level_easy": "Fácil: palabras y frases cortas",
    "level_standard": "Estándar",
    "level_detailed": "Detallado: más explicaciones",
    "paper": "Papel",
    "paper_default": "El papel habitual de la clínica",
    "paper_letter": "Carta (EE. UU.)",
    "paper_a4": "A4",
    "layout": "Secciones",
    "layout_all": "Todas las secciones",
    "require_reviewed": "Imprimir solo contenido revisado por un farmacéutico",
    "preview": "Vista previa",
    "download": "Descargar PDF",
    "open": "Abrir PDF para imprimir",
    "problem": "Hay un problema",
    "preview_of": "Página 1 de la hoja",
    "pages": "{pages} páginas",
    "one_page": "1 página",
    "draft": "Borrador: aún no revisado por un farmacéutico. Cada página lleva la marca BORRADOR.",
    "print_hint": "Para imprimir: abra el PDF y use Imprimir en el visor de PDF.",
    "no_translation": "{medicine} no está escrito en {language}. Está escrito en: {languages}.",
    "is_draft": "{medicine} en {language} es un borrador: un farmacéutico aún no lo ha revisado. "
    "Desmarque esta casilla para imprimirlo con la marca de borrador.",
    "expired": "Este formulario estuvo abierto demasiado tiempo o vino de otra página. Inténtelo de nuevo.",
    "choose": "Elija una opción de la lista.",
}

ARABIC = {
    "title": "طباعة نشرة للمريض",
    "intro": "اختر الدواء ولغة المريض ومقدار التفاصيل التي يحتاجها. راجع المعاينة، ثم نزّل ملف PDF أو افتحه لطباعته.",
    "interface": "لغة هذه الصفحة",
    "medicine": "الدواء",
    "lang": "لغة المريض",
    "level": "مستوى القراءة",
    "level_easy": "سهل: كلمات وجمل قصيرة",
    "level_standard": "عادي",
    "level_detailed": "مفصّل: شرح أكثر",
    "paper": "الورق",
    "paper_default": "الورق المعتاد في العيادة",
    "paper_letter": "Letter (الولايات المتحدة)",
    "paper_a4": "A4",
    "layout": "الأقسام",
    "layout_all": "كل الأقسام",
    "require_reviewed": "اطبع فقط المحتوى الذي راجعه صيدلي",
    "preview": "معاينة",
    "download": "تنزيل PDF",
    "open": "فتح PDF للطباعة",
    "problem": "توجد مشكلة",
    "preview_of": "الصفحة 1 من النشرة",
    "pages": "عدد الصفحات: {pages}",
    "one_page": "صفحة واحدة",
    "draft": "مسودة: لم يراجعها صيدلي بعد. كل صفحة عليها علامة مسودة.",
    "print_hint": "للطباعة: افتح ملف PDF ثم اختر طباعة في عارض PDF.",
    "no_translation": "{medicine} غير مكتوب باللغة {language}. هو مكتوب باللغات: {languages}.",
    "is_draft": "{medicine} باللغة {language} مسودة لم يراجعها صيدلي بعد. "
    "أزل علامة هذا المربع لطباعتها مع علامة مسودة.",
    "expired": "بقي هذا النموذج مفتوحًا مدة طويلة أو جاء من صفحة أخرى. حاول مرة أخرى.",
    "choose": "اختر واحدًا من القائمة.",
}

TEXTS: dict[str, dict[str, str]] = {"en": ENGLISH, "es": SPANISH, "ar": ARABIC}
DEFAULT = "en"


def words(ui: str) -> dict[str, str]:
    """The interface's words in ``ui`` (English where a word is missing)."""
    return ENGLISH | TEXTS.get(ui, {})
