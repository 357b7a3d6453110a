"""The framework of instructional moves that ships with Debrief; admins edit their copy."""

DEFAULT_FRAMEWORK_NAME = "Debrief core moves"
DEFAULT_FRAMEWORK_DESCRIPTION = (
    "A starting set of observable teaching moves, grouped by purpose. "
    "Rename, extend or archive moves to match your school's framework."
)

# (group, name, code, colour, description). Order matters: the first nine moves in use are the
# number-key quick tags on the review page, so the moves coaches mark most come first.
DEFAULT_MOVES = [
    (
        "Questioning",
        "Open-ended question",
        "OEQ",
        "#1f6feb",
        "A question with many possible answers that asks students to explain or reason.",
    ),
    (
        "Questioning",
        "Wait time",
        "WT",
        "#0b7285",
        "Three or more seconds of silence after a question, before calling on anyone.",
    ),
    (
        "Questioning",
        "Cold call",
        "CC",
        "#5f3dc4",
        "Calling on a student who did not raise a hand, so every student prepares an answer.",
    ),
    (
        "Student discourse",
        "Turn-and-talk",
        "TT",
        "#2b8a3e",
        "Pairs discuss a prompt for a set time before sharing with the class.",
    ),
    (
        "Student discourse",
        "Re-voicing",
        "RV",
        "#5c940d",
        "Restating a student's idea to check it and to make it available to everyone.",
    ),
    (
        "Student discourse",
        "Student-to-student build",
        "SB",
        "#087f5b",
        "A student responds directly to a peer's idea rather than to the teacher.",
    ),
    (
        "Checks for understanding",
        "Exit ticket",
        "ET",
        "#e8590c",
        "A short task at the end of the lesson that shows what each student learned.",
    ),
    (
        "Checks for understanding",
        "Whole-class response",
        "WR",
        "#d9480f",
        "Every student shows an answer at once: whiteboards, fingers, cards.",
    ),
    (
        "Feedback",
        "Specific praise",
        "SP",
        "#c2255c",
        "Praise that names exactly what the student did well and why it matters.",
    ),
    (
        "Feedback",
        "Corrective feedback",
        "CF",
        "#a61e4d",
        "Naming an error and how to fix it, then checking the fix.",
    ),
    (
        "Classroom culture",
        "Clear directions",
        "CD",
        "#495057",
        "Short, sequenced, observable instructions checked before the task begins.",
    ),
    (
        "Classroom culture",
        "Positive narration",
        "PN",
        "#868e96",
        "Describing what students are doing right to reinforce the expectation.",
    ),
]
