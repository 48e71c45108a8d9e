"""What Piccolo's columns cannot express for the courses: the full-text search vector, the checks
on lessons, tests, cohorts and classes, a lesson's module belonging to its course, one final test
per course, one enrolment per person and course that has not ended, each enrolment's seat claim,
and the indexes of the listings."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T15:32:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "course search vector, checks, uniqueness and listing indexes"

# as for events: Kazakh with the `simple` configuration, Russian and English with their stemmers;
# titles weigh most (A), then summaries (B), then descriptions (C)
SEARCH_VECTOR = """
    setweight(to_tsvector('simple'::regconfig, title_kk), 'A')
    || setweight(to_tsvector('russian'::regconfig, title_ru), 'A')
    || setweight(to_tsvector('english'::regconfig, title_en), 'A')
    || setweight(to_tsvector('simple'::regconfig, summary_kk), 'B')
    || setweight(to_tsvector('russian'::regconfig, summary_ru), 'B')
    || setweight(to_tsvector('english'::regconfig, summary_en), 'B')
    || setweight(to_tsvector('simple'::regconfig, description_kk), 'C')
    || setweight(to_tsvector('russian'::regconfig, description_ru), 'C')
    || setweight(to_tsvector('english'::regconfig, description_en), 'C')
"""

STATEMENTS = [
    f"ALTER TABLE course ADD COLUMN search tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED",
    "CREATE INDEX course_search_idx ON course USING gin (search)",
    "CREATE INDEX course_audiences_idx ON course USING gin (audiences)",
    "CREATE INDEX course_languages_idx ON course USING gin (languages)",
    "CREATE INDEX course_organization_idx ON course (organization)",
    "CREATE INDEX course_listing_idx ON course (status, published_at, id)",
    "ALTER TABLE course ADD CONSTRAINT course_has_a_title"
    " CHECK (title_kk <> '' OR title_ru <> '' OR title_en <> '')",
    "ALTER TABLE course ADD CONSTRAINT course_duration_not_negative CHECK (duration_hours >= 0)",
    "ALTER TABLE course_prerequisite ADD CONSTRAINT course_prerequisite_once"
    " UNIQUE (course, required_course)",
    "ALTER TABLE course_prerequisite ADD CONSTRAINT course_prerequisite_not_itself"
    " CHECK (course <> required_course)",
    "CREATE INDEX course_prerequisite_required_idx ON course_prerequisite (required_course)",
    # a lesson's module is of the lesson's course, whatever the code does
    "ALTER TABLE course_module ADD CONSTRAINT course_module_course_id_key UNIQUE (course, id)",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_module_of_course"
    " FOREIGN KEY (course, module) REFERENCES course_module (course, id) ON DELETE CASCADE",
    "CREATE INDEX course_lesson_course_idx ON course_lesson (course, position)",
    "CREATE INDEX course_lesson_module_idx ON course_lesson (module, position)",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_pass_mark_of_tests"
    " CHECK ((kind = 'test') = (pass_mark IS NOT NULL))",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_pass_mark_range"
    " CHECK (pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100)",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_final_is_a_test"
    " CHECK (NOT final OR kind = 'test')",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_attempts_positive"
    " CHECK (max_attempts IS NULL OR max_attempts >= 1)",
    "ALTER TABLE course_lesson ADD CONSTRAINT course_lesson_duration_not_negative"
    " CHECK (duration_minutes >= 0)",
    "CREATE UNIQUE INDEX course_lesson_one_final ON course_lesson (course) WHERE final",
    "CREATE INDEX course_module_course_idx ON course_module (course, position)",
    "CREATE INDEX course_question_lesson_idx ON course_question (lesson, position)",
    "CREATE INDEX course_question_option_question_idx"
    " ON course_question_option (question, position)",
    "ALTER TABLE course_cohort ADD CONSTRAINT course_cohort_ends_after_start"
    " CHECK (ends_at > starts_at)",
    "ALTER TABLE course_cohort ADD CONSTRAINT course_cohort_capacity_positive"
    " CHECK (capacity IS NULL OR capacity >= 1)",
    "CREATE INDEX course_cohort_course_idx ON course_cohort (course, starts_at)",
    "CREATE INDEX course_cohort_upcoming_idx ON course_cohort (ends_at, region)",
    "ALTER TABLE course_cohort_instructor ADD CONSTRAINT course_cohort_instructor_once"
    " UNIQUE (cohort, person)",
    "CREATE INDEX course_cohort_instructor_person_idx ON course_cohort_instructor (person)",
    "ALTER TABLE course_class ADD CONSTRAINT course_class_ends_after_start"
    " CHECK (ends_at > starts_at)",
    "CREATE INDEX course_class_cohort_idx ON course_class (cohort, starts_at)",
    # an enrolment is its seat claim's, and a person holds one enrolment per course not ended
    "ALTER TABLE course_enrolment ADD CONSTRAINT course_enrolment_claim"
    " FOREIGN KEY (id) REFERENCES seat_claim (id) ON DELETE RESTRICT",
    "CREATE UNIQUE INDEX course_enrolment_one_active ON course_enrolment (course, person)"
    " WHERE ended_at IS NULL",
    "CREATE INDEX course_enrolment_person_idx ON course_enrolment (person, created_at, id)",
    "CREATE INDEX course_enrolment_cohort_idx ON course_enrolment (cohort)",
    "CREATE INDEX course_enrolment_open_idx ON course_enrolment (course)"
    " WHERE completed_at IS NULL AND ended_at IS NULL",
    "ALTER TABLE course_lesson_progress ADD CONSTRAINT course_lesson_progress_once"
    " UNIQUE (enrolment, lesson)",
    "ALTER TABLE course_lesson_progress ADD CONSTRAINT course_lesson_progress_score_range"
    " CHECK (best_score IS NULL OR best_score BETWEEN 0 AND 100)",
    "ALTER TABLE course_test_attempt ADD CONSTRAINT course_test_attempt_number_once"
    " UNIQUE (enrolment, lesson, number)",
    "ALTER TABLE course_test_attempt ADD CONSTRAINT course_test_attempt_score_range"
    " CHECK (score BETWEEN 0 AND 100 AND correct BETWEEN 0 AND total)",
    "ALTER TABLE course_class_attendance ADD CONSTRAINT course_class_attendance_once"
    " UNIQUE (cohort_class, meeting_start, enrolment)",
    "CREATE INDEX course_class_attendance_enrolment_idx ON course_class_attendance (enrolment)",
]

UNDO = [
    "ALTER TABLE course DROP COLUMN IF EXISTS search",
    "ALTER TABLE course_enrolment DROP CONSTRAINT IF EXISTS course_enrolment_claim",
]

forwards = sql_migration(ID, "courses", DESCRIPTION, STATEMENTS, UNDO)
