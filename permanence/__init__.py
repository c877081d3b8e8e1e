"""permanence: check, audit, render and track the paperwork of permanence planning
in English children's social care."""

__version__ = "0.3.1"
