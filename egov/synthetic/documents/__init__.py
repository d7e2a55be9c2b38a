"""Synthetic documents for the benchmarks and the demo (``egov generate --documents N``).

A province's office work over years: documents from outside registered by each agency's clerk,
documents drafted, reviewed and issued by the agencies and delivered at once to the agencies
they are sent to (the same document, an entry in each), the leader's directions with lead,
co-handling and for-information assignments and their deadlines (most done on time, some late,
some in progress, some overdue), drafts still in review, and the agencies' work files. Old units
(before a reorganisation) get documents only while they existed, new ones from their first day.

Rows are written directly, in batches, the way the services would have left them (states,
statutory clocks from ``workcal``, arrival and issue numbers consecutive per register and year
with the counters continued after them); **not audited per row**: one audit entry
``bench.documents_generated`` records each run (and lets the generator tell its documents from
real ones). Every file row refers to one small PDF stored once, with its text already extracted.
Deterministic for a seed and ``end``. Never use this on a database that holds real data."""

from egov.synthetic.documents.load import (
    DocumentsRefused,
    generate_documents,
    generated_count,
    refusal,
    sample_pdf,
)

__all__ = ["DocumentsRefused", "generate_documents", "generated_count", "refusal", "sample_pdf"]
