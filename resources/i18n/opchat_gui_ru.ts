<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Demo mode: replies come from the built-in local server at %1, not from a real model.</source>
        <translation>Демо-режим: ответы приходят от встроенного локального сервера %1, а не от настоящей модели.</translation>
    </message>
    <message>
        <source>Demo server</source>
        <translation>Демо-сервер</translation>
    </message>
    <message>
        <source>Daily backup</source>
        <translation>Ежедневная резервная копия</translation>
    </message>
</context>
<context>
    <name>Archive</name>
    <message>
        <source>The history is read-only in this run, so nothing can be added to it. Make the data folder writable and restart.</source>
        <translation>В этом запуске история доступна только для чтения, поэтому в неё ничего нельзя добавить. Разрешите запись в папку данных и перезапустите приложение.</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>Этой беседы больше нет.</translation>
    </message>
    <message>
        <source>Could not export to %1: %2</source>
        <translation>Не удалось экспортировать в %1: %2</translation>
    </message>
    <message>
        <source>Could not export to %1: %2. No file was left behind.</source>
        <translation>Не удалось экспортировать в %1: %2. Недописанных файлов не осталось.</translation>
    </message>
    <message>
        <source>Could not import %1: %2.</source>
        <translation>Не удалось импортировать %1: %2.</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Не удалось прочитать %1: %2</translation>
    </message>
    <message>
        <source>Could not save the imported conversations: %1. Nothing from this file was lost; try again.</source>
        <translation>Не удалось сохранить импортированные беседы: %1. Ничего из этого файла не потеряно; попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Could not write a backup to %1: %2</source>
        <translation>Не удалось записать резервную копию в %1: %2</translation>
    </message>
    <message>
        <source>The history is read-only in this run, so it cannot be replaced. Make the data folder writable and restart.</source>
        <translation>В этом запуске история доступна только для чтения, поэтому её нельзя заменить. Разрешите запись в папку данных и перезапустите приложение.</translation>
    </message>
    <message>
        <source>Cannot restore %1: %2</source>
        <translation>Нельзя восстановить %1: %2</translation>
    </message>
    <message>
        <source>Restoring %1 failed: %2</source>
        <translation>Не удалось восстановить %1: %2</translation>
    </message>
    <message>
        <source>Restoring failed: %1. The history was left as it was.</source>
        <translation>Восстановление не удалось: %1. История осталась прежней.</translation>
    </message>
</context>
<context>
    <name>Attaching</name>
    <message>
        <source>Attach files</source>
        <translation>Прикрепить файлы</translation>
    </message>
    <message>
        <source>All files (*);;Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp);;PDF files (*.pdf)</source>
        <translation>Все файлы (*);;Изображения (*.png *.jpg *.jpeg *.gif *.webp *.bmp);;Файлы PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Attaching %1…</source>
        <translation>Прикрепляется %1…</translation>
    </message>
    <message>
        <source>Cannot attach %1: %2</source>
        <translation>Нельзя прикрепить %1: %2</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 zoom</source>
        <translation>%1 — масштаб</translation>
    </message>
    <message>
        <source>%1 fits</source>
        <translation>%1 — по размеру окна</translation>
    </message>
    <message>
        <source>%1 is actual size</source>
        <translation>%1 — исходный размер</translation>
    </message>
    <message>
        <source>%1 closes</source>
        <translation>%1 — закрыть</translation>
    </message>
    <message>
        <source>This file cannot be shown.</source>
        <translation>Этот файл нельзя показать.</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>it cannot be read (%1).</source>
        <translation>его нельзя прочитать (%1).</translation>
    </message>
    <message>
        <source>the history cannot be written (%1).</source>
        <translation>историю нельзя записать (%1).</translation>
    </message>
    <message>
        <source>the conversation is gone.</source>
        <translation>беседы больше нет.</translation>
    </message>
    <message>
        <source>the chatbot of %1 does not take uploads (its page says so), so no image can be sent to it; text files and PDFs can.</source>
        <translation>чат-бот %1 не принимает загрузки (так сказано на его странице), поэтому изображение ему не отправить; текстовые файлы и PDF — можно.</translation>
    </message>
    <message>
        <source>%1 does not take images; only text files and PDFs can be sent to it.</source>
        <translation>%1 не принимает изображения; ей можно отправить только текстовые файлы и PDF.</translation>
    </message>
    <message>
        <source>The server does not say whether %1 takes images; if it cannot, it will refuse the message.</source>
        <translation>Сервер не сообщает, принимает ли %1 изображения; если нет, он отклонит сообщение.</translation>
    </message>
    <message>
        <source>the image cannot be read.</source>
        <translation>изображение не читается.</translation>
    </message>
    <message>
        <source>PDF files cannot be read: this build has no PDF reader (pypdf).</source>
        <translation>PDF-файлы не читаются: в этой сборке нет модуля чтения PDF (pypdf).</translation>
    </message>
    <message>
        <source>the PDF is encrypted.</source>
        <translation>PDF зашифрован.</translation>
    </message>
    <message>
        <source>the PDF has more than %1 pages.</source>
        <translation>в PDF больше %1 страниц.</translation>
    </message>
    <message>
        <source>the PDF cannot be read.</source>
        <translation>PDF не читается.</translation>
    </message>
    <message>
        <source>the PDF holds no text (a scan?).</source>
        <translation>в PDF нет текста (скан?).</translation>
    </message>
    <message>
        <source>it is not text, a PDF or an image (only those can be sent to a model).</source>
        <translation>это не текст, не PDF и не изображение (модели можно отправить только их).</translation>
    </message>
    <message>
        <source>its text is %1 characters; at most %2 can be sent.</source>
        <translation>в его тексте %1 символов; отправить можно не больше %2.</translation>
    </message>
    <message>
        <source>it is %1 MB; at most %2 MB can be attached.</source>
        <translation>его размер %1 МБ; прикрепить можно не больше %2 МБ.</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 КБ</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 Б</translation>
    </message>
</context>
<context>
    <name>ChatService</name>
    <message>
        <source>Unexpected error: %1. Press Retry to try again.</source>
        <translation>Непредвиденная ошибка: %1. Нажмите «Повторить», чтобы попробовать снова.</translation>
    </message>
    <message>
        <source>The disk is full, so the history cannot be saved right now. Your text is kept; free some disk space and saving resumes on its own.</source>
        <translation>Диск заполнен, поэтому историю сейчас нельзя сохранить. Ваш текст сохранён в окне; освободите место на диске, и сохранение возобновится само.</translation>
    </message>
    <message>
        <source>The data folder is read-only, so the history cannot be saved. Your text is kept; make the folder writable (or start with --data-dir) and restart.</source>
        <translation>Папка данных доступна только для чтения, поэтому историю нельзя сохранить. Ваш текст сохранён в окне; разрешите запись в папку (или запустите с --data-dir) и перезапустите приложение.</translation>
    </message>
    <message>
        <source>Could not save to the history file (%1). Your text is kept; free some disk space or check the data folder&apos;s permissions, then try again.</source>
        <translation>Не удалось записать файл истории (%1). Ваш текст сохранён в окне; освободите место на диске или проверьте права на папку данных и попробуйте снова.</translation>
    </message>
</context>
<context>
    <name>Chip</name>
    <message>
        <source>Attachment %1, %2</source>
        <translation>Вложение %1, %2</translation>
    </message>
    <message>
        <source>%1 · %2
%3 opens it, %4 removes it</source>
        <translation>%1 · %2
%3 — открыть, %4 — убрать</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Type a message. %1 sends, %2 adds a line.</source>
        <translation>Введите сообщение. %1 — отправить, %2 — новая строка.</translation>
    </message>
    <message>
        <source>Type a message.</source>
        <translation>Введите сообщение.</translation>
    </message>
</context>
<context>
    <name>ContextStatus</name>
    <message>
        <source>Estimated tokens of the next request: the conversation as it will be sent, with the message being typed, of the model&apos;s context length. The estimate is UTF-8 bytes / 4 plus a few tokens per message, corrected by what the server reports after each reply (and counted exactly by llama.cpp&apos;s /tokenize). The last reply&apos;s own count, as the server reported it, is at the other end of the status bar.</source>
        <translation>Оценка токенов следующего запроса: разговор в том виде, в каком он будет отправлен, вместе с набираемым сообщением, из длины контекста модели. Оценка — число байтов текста / 4 плюс несколько токенов на сообщение, уточняемая по тому, что сервер сообщает после каждого ответа (и точным подсчётом сервера, где он это умеет). Подсчёт самого последнего ответа, как его сообщил сервер, — на другом конце строки состояния.</translation>
    </message>
    <message>
        <source>Next request ≈ %1 / %2 tokens</source>
        <translation>Следующий запрос ≈ %1 / %2 токенов</translation>
    </message>
    <message>
        <source>Next request ≈ %1 tokens</source>
        <translation>Следующий запрос ≈ %1 токенов</translation>
    </message>
    <message>
        <source> · older messages not sent: %1</source>
        <translation> · старых сообщений не отправляется: %1</translation>
    </message>
    <message>
        <source>The model sees from here on · older messages not sent: %1</source>
        <translation>Модель видит отсюда · старых сообщений не отправляется: %1</translation>
    </message>
</context>
<context>
    <name>ConversationCommands</name>
    <message>
        <source>New conversation</source>
        <translation>Новая беседа</translation>
    </message>
    <message>
        <source>Deleted “%1”. Press %2 within 10 seconds to undo.</source>
        <translation>Беседа «%1» удалена. Нажмите %2 в течение 10 секунд, чтобы вернуть её.</translation>
    </message>
    <message>
        <source>Restored.</source>
        <translation>Восстановлено.</translation>
    </message>
    <message>
        <source>Send a message first: this conversation is not saved yet.</source>
        <translation>Сначала отправьте сообщение: эта беседа ещё не сохранена.</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Conversations</source>
        <translation>Беседы</translation>
    </message>
</context>
<context>
    <name>ConversationModel</name>
    <message>
        <source>New conversation</source>
        <translation>Новая беседа</translation>
    </message>
</context>
<context>
    <name>DataMenu</name>
    <message>
        <source>Open a conversation to export it.</source>
        <translation>Откройте беседу, чтобы экспортировать её.</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Экспорт беседы</translation>
    </message>
    <message>
        <source>Markdown (*.md);;opchat-gui JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON opchat-gui (*.json)</translation>
    </message>
    <message>
        <source>Exporting the conversation</source>
        <translation>Экспорт беседы</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Экспортировано в %1</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Экспорт отменён; ни один файл не записан.</translation>
    </message>
    <message>
        <source>Export all conversations into a folder</source>
        <translation>Экспорт всех бесед в папку</translation>
    </message>
    <message>
        <source>Exporting every conversation</source>
        <translation>Экспорт всех бесед</translation>
    </message>
    <message>
        <source>Exported every conversation to %1</source>
        <translation>Все беседы экспортированы в %1</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>Импорт бесед</translation>
    </message>
    <message>
        <source>Conversation exports (*.json);;All files (*)</source>
        <translation>Экспорт бесед (*.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Imported %1 conversation(s) from %2; %3 were already here.</source>
        <translation>Импортировано бесед из %2: %1; уже были в истории: %3.</translation>
    </message>
    <message>
        <source>Import cancelled. The conversations imported so far stay; importing the file again adds the rest.</source>
        <translation>Импорт отменён. Уже импортированные беседы остаются; повторный импорт файла добавит остальные.</translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation>Импорт %1</translation>
    </message>
    <message>
        <source>Backing up the history</source>
        <translation>Резервное копирование истории</translation>
    </message>
    <message>
        <source>Backed up the history to %1</source>
        <translation>Резервная копия истории сохранена в %1</translation>
    </message>
    <message>
        <source>Backup cancelled.</source>
        <translation>Резервное копирование отменено.</translation>
    </message>
    <message>
        <source>Wait for the reply to finish (or press %1), then restore.</source>
        <translation>Дождитесь окончания ответа (или нажмите %1), затем восстановите.</translation>
    </message>
    <message>
        <source>A reply started while the backup was being prepared, so nothing was restored. Restore again when it finishes.</source>
        <translation>Пока готовилась резервная копия, начался ответ, поэтому ничего не восстановлено. Восстановите ещё раз, когда он закончится.</translation>
    </message>
    <message>
        <source>Restored %1. The history it replaced is saved as %2.</source>
        <translation>Восстановлено из %1. Заменённая история сохранена как %2.</translation>
    </message>
    <message>
        <source>Restoring %1</source>
        <translation>Восстановление %1</translation>
    </message>
    <message>
        <source>Restore cancelled; the history is unchanged.</source>
        <translation>Восстановление отменено; история не изменилась.</translation>
    </message>
    <message>
        <source>There are no backups yet in %1.</source>
        <translation>В %1 пока нет резервных копий.</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>Восстановление из резервной копии</translation>
    </message>
    <message>
        <source>Choose a backup (newest first):</source>
        <translation>Выберите резервную копию (сначала новые):</translation>
    </message>
    <message>
        <source>Replace the whole history with the backup %1?

The current history is saved as a backup first, so this can be undone.</source>
        <translation>Заменить всю историю резервной копией %1?

Текущая история сначала будет сохранена как резервная копия, так что это можно отменить.</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Восстановить</translation>
    </message>
    <message>
        <source>Wait for “%1” to finish, or cancel it.</source>
        <translation>Дождитесь окончания операции «%1» или отмените её.</translation>
    </message>
    <message>
        <source>Replies not saved yet</source>
        <translation>Ответы ещё не сохранены</translation>
    </message>
    <message>
        <source>%1 reply(ies) could not be saved yet, because the disk is full or the data folder is read-only. Free some space and they are saved on their own.

Quit anyway and lose them?</source>
        <translation>Не удалось сохранить ответов: %1, потому что диск заполнен или папка данных доступна только для чтения. Освободите место, и они сохранятся сами.

Всё равно выйти и потерять их?</translation>
    </message>
    <message>
        <source>&amp;Quit anyway</source>
        <translation>&amp;Всё равно выйти</translation>
    </message>
</context>
<context>
    <name>EmptyConversation</name>
    <message>
        <source>Try one of these:</source>
        <translation>Попробуйте одно из этих:</translation>
    </message>
    <message>
        <source>Explain what an event loop is, in three short paragraphs.</source>
        <translation>Объясни, что такое цикл событий, в трёх коротких абзацах.</translation>
    </message>
    <message>
        <source>Write a Python function that removes duplicate lines from a file, with a test.</source>
        <translation>Напиши на Python функцию, убирающую повторы строк в файле, и тест к ней.</translation>
    </message>
    <message>
        <source>Compare SQLite, PostgreSQL and DuckDB in a small table.</source>
        <translation>Сравни SQLite, PostgreSQL и DuckDB в небольшой таблице.</translation>
    </message>
    <message>
        <source>Chatting with %1</source>
        <translation>Собеседник: %1</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Новая беседа</translation>
    </message>
    <message>
        <source>%1 shows every key</source>
        <translation>%1 — все клавиши</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in conversation</source>
        <translation>Поиск в беседе</translation>
    </message>
    <message>
        <source>Find text</source>
        <translation>Текст для поиска</translation>
    </message>
    <message>
        <source>Find in this conversation</source>
        <translation>Найти в этой беседе</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Совпадения</translation>
    </message>
    <message>
        <source>%1 next</source>
        <translation>%1 — следующее</translation>
    </message>
    <message>
        <source>%1 previous</source>
        <translation>%1 — предыдущее</translation>
    </message>
    <message>
        <source>%1 closes</source>
        <translation>%1 — закрыть</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Нет совпадений</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 из %2</translation>
    </message>
    <message>
        <source>Searching older messages…</source>
        <translation>Поиск в более ранних сообщениях…</translation>
    </message>
</context>
<context>
    <name>Generation</name>
    <message>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <source>0 to 2: higher is more varied, lower more predictable.</source>
        <translation>От 0 до 2: выше — разнообразнее, ниже — предсказуемее.</translation>
    </message>
    <message>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <source>0 to 1: sample only from the most likely tokens that add up to this share.</source>
        <translation>От 0 до 1: выбирать только из самых вероятных токенов, в сумме дающих эту долю.</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Максимум токенов</translation>
    </message>
    <message>
        <source>The longest reply, in tokens (1 or more).</source>
        <translation>Самый длинный ответ, в токенах (1 или больше).</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно (seed)</translation>
    </message>
    <message>
        <source>A whole number: the same seed and settings give the same reply where the server supports it.</source>
        <translation>Целое число: одинаковые зерно и настройки дают тот же ответ, если сервер это поддерживает.</translation>
    </message>
    <message>
        <source>Stop sequences</source>
        <translation>Стоп-последовательности</translation>
    </message>
    <message>
        <source>One sequence as typed, or several as a JSON list such as [&quot;\n\n&quot;, &quot;User:&quot;].</source>
        <translation>Одна последовательность как есть или несколько в виде списка JSON, например [&quot;\n\n&quot;, &quot;User:&quot;].</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>Штраф за присутствие</translation>
    </message>
    <message>
        <source>-2 to 2: above 0 pushes towards new topics.</source>
        <translation>От -2 до 2: больше 0 подталкивает к новым темам.</translation>
    </message>
    <message>
        <source>Frequency penalty</source>
        <translation>Штраф за частоту</translation>
    </message>
    <message>
        <source>-2 to 2: above 0 makes repeating words less likely.</source>
        <translation>От -2 до 2: больше 0 делает повторы слов менее вероятными.</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>Глубина рассуждений</translation>
    </message>
    <message>
        <source>minimal, low, medium or high: how long a reasoning model may think (OpenAI, gpt-oss, OpenRouter).</source>
        <translation>minimal, low, medium или high: как долго рассуждающая модель может думать (OpenAI, gpt-oss, OpenRouter).</translation>
    </message>
    <message>
        <source>Extra request fields</source>
        <translation>Дополнительные поля запроса</translation>
    </message>
    <message>
        <source>A JSON object merged into the request, for server options such as {&quot;chat_template_kwargs&quot;: {&quot;enable_thinking&quot;: false}} or {&quot;think&quot;: false}.</source>
        <translation>Объект JSON, добавляемый в запрос, для параметров сервера, например {&quot;chat_template_kwargs&quot;: {&quot;enable_thinking&quot;: false}} или {&quot;think&quot;: false}.</translation>
    </message>
    <message>
        <source>“%1” is not a number</source>
        <translation>«%1» — не число</translation>
    </message>
    <message>
        <source>“%1” is not a finite number</source>
        <translation>«%1» — не конечное число</translation>
    </message>
    <message>
        <source>must be %1 or more</source>
        <translation>должно быть не меньше %1</translation>
    </message>
    <message>
        <source>must be from %1 to %2</source>
        <translation>должно быть от %1 до %2</translation>
    </message>
    <message>
        <source>unknown setting “%1”</source>
        <translation>неизвестный параметр «%1»</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>ожидается число</translation>
    </message>
    <message>
        <source>expected a whole number</source>
        <translation>ожидается целое число</translation>
    </message>
    <message>
        <source>expected text or a JSON list of non-empty texts</source>
        <translation>ожидается текст или список JSON из непустых строк</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>ожидается одно из: %1</translation>
    </message>
    <message>
        <source>expected a JSON object, {…}</source>
        <translation>ожидается объект JSON, {…}</translation>
    </message>
    <message>
        <source>“%1” is set by the app itself</source>
        <translation>«%1» задаёт само приложение</translation>
    </message>
    <message>
        <source>“%1” is not a whole number</source>
        <translation>«%1» — не целое число</translation>
    </message>
    <message>
        <source>not a JSON list: %1</source>
        <translation>не список JSON: %1</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>неверный JSON: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>server default</source>
        <translation>по умолчанию сервера</translation>
    </message>
</context>
<context>
    <name>GenerationDialog</name>
    <message>
        <source>Generation settings</source>
        <translation>Настройки генерации</translation>
    </message>
    <message>
        <source>This conversation&apos;s settings for %1. An empty field uses the provider&apos;s default (shown in grey) or else the server&apos;s own, and is not sent.</source>
        <translation>Настройки этого разговора для %1. Пустое поле берёт значение провайдера (показано серым) или же сервера и не отправляется.</translation>
    </message>
    <message>
        <source>provider</source>
        <translation>провайдер</translation>
    </message>
    <message>
        <source>C&amp;lear all</source>
        <translation>&amp;Очистить всё</translation>
    </message>
    <message>
        <source>Tab moves between fields · Enter saves · Esc cancels</source>
        <translation>Tab — между полями · Enter сохраняет · Esc отменяет</translation>
    </message>
    <message>
        <source>%1 is an AI Engine site: the bot&apos;s model, temperature and reply length are set on the site, and its chat route takes none of them from the app, so there is nothing to set here.</source>
        <translation>%1 — сайт AI Engine: модель бота, температура и длина ответа задаются на сайте, а его чат не принимает их от приложения, поэтому здесь нечего настраивать.</translation>
    </message>
    <message>
        <source>Esc closes</source>
        <translation>Esc закрывает</translation>
    </message>
</context>
<context>
    <name>GroupedModel</name>
    <message>
        <source>Pinned</source>
        <translation>Закреплённые</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Последние 7 дней</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Ранее</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Filter shortcuts: type a key or a word</source>
        <translation>Фильтр: введите клавишу или слово</translation>
    </message>
    <message>
        <source>%1 runs the selected command</source>
        <translation>%1 выполняет выбранную команду</translation>
    </message>
    <message>
        <source>%1 closes</source>
        <translation>%1 — закрыть</translation>
    </message>
    <message>
        <source>(unbound)</source>
        <translation>(не назначено)</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Где</translation>
    </message>
</context>
<context>
    <name>JumpButton</name>
    <message>
        <source>Jump to the latest message (new content below)</source>
        <translation>К последнему сообщению (ниже есть новое)</translation>
    </message>
    <message>
        <source>Jump to the latest message</source>
        <translation>К последнему сообщению</translation>
    </message>
</context>
<context>
    <name>Keymap</name>
    <message>
        <source>Send the message</source>
        <translation>Отправить сообщение</translation>
    </message>
    <message>
        <source>Insert a new line</source>
        <translation>Вставить новую строку</translation>
    </message>
    <message>
        <source>Retry the last reply if it failed or stopped, else regenerate it</source>
        <translation>Повторить ответ, если он не удался или остановлен, иначе сгенерировать заново</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>Начать новую беседу</translation>
    </message>
    <message>
        <source>Go to the previous conversation</source>
        <translation>Перейти к предыдущей беседе</translation>
    </message>
    <message>
        <source>Go to the next conversation</source>
        <translation>Перейти к следующей беседе</translation>
    </message>
    <message>
        <source>Close the open panel, or stop the reply that is streaming</source>
        <translation>Закрыть открытую панель или остановить поступающий ответ</translation>
    </message>
    <message>
        <source>Move the focus to the composer</source>
        <translation>Перейти в поле ввода</translation>
    </message>
    <message>
        <source>Show or hide the conversation list</source>
        <translation>Показать или скрыть список бесед</translation>
    </message>
    <message>
        <source>Switch to a conversation by its title</source>
        <translation>Перейти к беседе по названию</translation>
    </message>
    <message>
        <source>Search all conversations</source>
        <translation>Искать во всех беседах</translation>
    </message>
    <message>
        <source>Find in this conversation</source>
        <translation>Найти в этой беседе</translation>
    </message>
    <message>
        <source>Find the next match</source>
        <translation>Найти следующее совпадение</translation>
    </message>
    <message>
        <source>Find the previous match</source>
        <translation>Найти предыдущее совпадение</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Следующее совпадение</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Предыдущее совпадение</translation>
    </message>
    <message>
        <source>Select the next item</source>
        <translation>Выбрать следующий элемент</translation>
    </message>
    <message>
        <source>Select the previous item</source>
        <translation>Выбрать предыдущий элемент</translation>
    </message>
    <message>
        <source>Open the selected item</source>
        <translation>Открыть выбранный элемент</translation>
    </message>
    <message>
        <source>Rename this conversation</source>
        <translation>Переименовать эту беседу</translation>
    </message>
    <message>
        <source>Delete this conversation (undo for 10 seconds)</source>
        <translation>Удалить эту беседу (можно вернуть в течение 10 секунд)</translation>
    </message>
    <message>
        <source>Undo the last delete</source>
        <translation>Отменить последнее удаление</translation>
    </message>
    <message>
        <source>Pin or unpin this conversation</source>
        <translation>Закрепить или открепить эту беседу</translation>
    </message>
    <message>
        <source>Go to conversation 1 in the list</source>
        <translation>Перейти к беседе 1 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 2 in the list</source>
        <translation>Перейти к беседе 2 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 3 in the list</source>
        <translation>Перейти к беседе 3 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 4 in the list</source>
        <translation>Перейти к беседе 4 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 5 in the list</source>
        <translation>Перейти к беседе 5 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 6 in the list</source>
        <translation>Перейти к беседе 6 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 7 in the list</source>
        <translation>Перейти к беседе 7 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 8 in the list</source>
        <translation>Перейти к беседе 8 в списке</translation>
    </message>
    <message>
        <source>Go to conversation 9 in the list</source>
        <translation>Перейти к беседе 9 в списке</translation>
    </message>
    <message>
        <source>Scroll the transcript to the first message</source>
        <translation>Прокрутить переписку к первому сообщению</translation>
    </message>
    <message>
        <source>Scroll the transcript to the latest message (and follow the reply again)</source>
        <translation>Прокрутить переписку к последнему сообщению (и снова следить за ответом)</translation>
    </message>
    <message>
        <source>Make the text larger</source>
        <translation>Увеличить текст</translation>
    </message>
    <message>
        <source>Make the text smaller</source>
        <translation>Уменьшить текст</translation>
    </message>
    <message>
        <source>Reset the text size</source>
        <translation>Вернуть обычный размер текста</translation>
    </message>
    <message>
        <source>Show the keyboard shortcuts</source>
        <translation>Показать сочетания клавиш</translation>
    </message>
    <message>
        <source>Open the settings (key bindings are a page there)</source>
        <translation>Открыть настройки (сочетания клавиш — на отдельной странице)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Edit your last message (in an empty composer)</source>
        <translation>Изменить своё последнее сообщение (в пустом поле ввода)</translation>
    </message>
    <message>
        <source>Scroll the transcript up a page (while the draft fits)</source>
        <translation>Прокрутить переписку на страницу вверх (пока черновик помещается в поле)</translation>
    </message>
    <message>
        <source>Scroll the transcript down a page (while the draft fits)</source>
        <translation>Прокрутить переписку на страницу вниз (пока черновик помещается в поле)</translation>
    </message>
    <message>
        <source>Attach files or images to the message…</source>
        <translation>Прикрепить к сообщению файлы или изображения…</translation>
    </message>
    <message>
        <source>Remove the attachment that has the focus</source>
        <translation>Убрать вложение, на котором фокус</translation>
    </message>
    <message>
        <source>Open the attachment that has the focus</source>
        <translation>Открыть вложение, на котором фокус</translation>
    </message>
    <message>
        <source>Zoom the image in</source>
        <translation>Увеличить изображение</translation>
    </message>
    <message>
        <source>Zoom the image out</source>
        <translation>Уменьшить изображение</translation>
    </message>
    <message>
        <source>Fit the whole image in the window</source>
        <translation>Вписать изображение в окно целиком</translation>
    </message>
    <message>
        <source>Show the image at its actual size</source>
        <translation>Показать изображение в исходном размере</translation>
    </message>
    <message>
        <source>Scroll the wide table left</source>
        <translation>Прокрутить широкую таблицу влево</translation>
    </message>
    <message>
        <source>Scroll the wide table right</source>
        <translation>Прокрутить широкую таблицу вправо</translation>
    </message>
    <message>
        <source>Scroll the wide table to its first column</source>
        <translation>Прокрутить широкую таблицу к первому столбцу</translation>
    </message>
    <message>
        <source>Scroll the wide table to its last column</source>
        <translation>Прокрутить широкую таблицу к последнему столбцу</translation>
    </message>
    <message>
        <source>Copy the chosen message as Markdown (else the last reply)</source>
        <translation>Скопировать выбранное сообщение как Markdown (иначе последний ответ)</translation>
    </message>
    <message>
        <source>Copy the last code block</source>
        <translation>Скопировать последний блок кода</translation>
    </message>
    <message>
        <source>Choose the previous message</source>
        <translation>Выбрать предыдущее сообщение</translation>
    </message>
    <message>
        <source>Choose the next message</source>
        <translation>Выбрать следующее сообщение</translation>
    </message>
    <message>
        <source>Delete the chosen message and everything below it (asks first; undo for 10 seconds)</source>
        <translation>Удалить выбранное сообщение и всё под ним (спросит; отмена в течение 10 с)</translation>
    </message>
    <message>
        <source>Show the chosen message&apos;s previous branch (‹ in its ‹ i/n ›)</source>
        <translation>Показать предыдущую ветку выбранного сообщения (‹ в его ‹ i/n ›)</translation>
    </message>
    <message>
        <source>Show the chosen message&apos;s next branch (› in its ‹ i/n ›)</source>
        <translation>Показать следующую ветку выбранного сообщения (› в его ‹ i/n ›)</translation>
    </message>
    <message>
        <source>Continue a reply that was cut off</source>
        <translation>Продолжить оборвавшийся ответ</translation>
    </message>
    <message>
        <source>Fold or unfold the chosen reply&apos;s thinking (else the newest reply&apos;s)</source>
        <translation>Свернуть или развернуть размышления выбранного ответа (иначе — последнего)</translation>
    </message>
    <message>
        <source>Export this conversation (Markdown or JSON)</source>
        <translation>Экспортировать эту беседу (Markdown или JSON)</translation>
    </message>
    <message>
        <source>Export all conversations (Markdown files and one JSON)</source>
        <translation>Экспортировать все беседы (файлы Markdown и один JSON)</translation>
    </message>
    <message>
        <source>Import conversations (opchat-gui JSON or ChatGPT conversations.json)</source>
        <translation>Импортировать беседы (JSON opchat-gui или conversations.json из ChatGPT)</translation>
    </message>
    <message>
        <source>Back up the history now</source>
        <translation>Создать резервную копию истории сейчас</translation>
    </message>
    <message>
        <source>Restore the history from a backup…</source>
        <translation>Восстановить историю из резервной копии…</translation>
    </message>
    <message>
        <source>Choose the provider and model</source>
        <translation>Выбрать провайдера и модель</translation>
    </message>
    <message>
        <source>Edit the conversation&apos;s system prompt</source>
        <translation>Изменить системный промпт беседы</translation>
    </message>
    <message>
        <source>Edit the conversation&apos;s generation settings (temperature, max tokens, …)</source>
        <translation>Изменить настройки генерации разговора (температура, макс. токенов, …)</translation>
    </message>
    <message>
        <source>Add, edit or remove providers</source>
        <translation>Добавить, изменить или удалить провайдеров</translation>
    </message>
    <message>
        <source>Allow the tool call that waits, this once</source>
        <translation>Разрешить ожидающий вызов инструмента один раз</translation>
    </message>
    <message>
        <source>Always allow the tool that waits (this tool of this server; revocable in the settings)</source>
        <translation>Всегда разрешать ожидающий инструмент (этого сервера; отзыв в настройках)</translation>
    </message>
    <message>
        <source>Deny the tool call that waits (the model is told)</source>
        <translation>Запретить ожидающий вызов инструмента (модель об этом узнает)</translation>
    </message>
    <message>
        <source>Open or fold a tool call&apos;s details (the chosen one, else the last)</source>
        <translation>Раскрыть или свернуть вызов инструмента (выбранный, иначе последний)</translation>
    </message>
    <message>
        <source>Anywhere</source>
        <translation>Везде</translation>
    </message>
    <message>
        <source>In the composer</source>
        <translation>В поле ввода</translation>
    </message>
    <message>
        <source>In the find bar</source>
        <translation>В строке поиска</translation>
    </message>
    <message>
        <source>In a list panel (switcher, search)</source>
        <translation>В переключателе и поиске</translation>
    </message>
    <message>
        <source>On an attachment above the composer</source>
        <translation>На вложении</translation>
    </message>
    <message>
        <source>In the attachment viewer</source>
        <translation>В просмотре вложения</translation>
    </message>
    <message>
        <source>On a wide table in the transcript</source>
        <translation>На широкой таблице</translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation>(нет клавиши)</translation>
    </message>
</context>
<context>
    <name>KeysPage</name>
    <message>
        <source>Key bindings</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Actions and their keys</source>
        <translation>Действия и их клавиши</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Где</translation>
    </message>
    <message>
        <source>New keys for the selected action</source>
        <translation>Новые клавиши для выбранного действия</translation>
    </message>
    <message>
        <source>&amp;Set</source>
        <translation>&amp;Назначить</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Добавить</translation>
    </message>
    <message>
        <source>&amp;Default</source>
        <translation>По &amp;умолчанию</translation>
    </message>
    <message>
        <source>&amp;Unbind</source>
        <translation>&amp;Снять</translation>
    </message>
    <message>
        <source>Sa&amp;ve key bindings</source>
        <translation>Со&amp;хранить сочетания</translation>
    </message>
    <message>
        <source>New keys:</source>
        <translation>Новые клавиши:</translation>
    </message>
    <message>
        <source>Saved: the new keys work now.</source>
        <translation>Сохранено: новые клавиши уже работают.</translation>
    </message>
    <message>
        <source>(unbound)</source>
        <translation>(не назначено)</translation>
    </message>
    <message>
        <source>%1 is used by both “%2” and “%3”.</source>
        <translation>%1 занято сразу двумя действиями: «%2» и «%3».</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — demo</source>
        <translation> — демо</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Удалить сообщение</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>Delete this message and everything below it in its branch? Messages that go: %1. You can undo it for 10 seconds.</source>
        <translation>Удалить это сообщение и всё, что под ним в его ветке? Будет удалено сообщений: %1. Отменить можно в течение 10 секунд.</translation>
    </message>
    <message>
        <source>No tool call is waiting for an answer.</source>
        <translation>Ни один вызов инструмента не ждёт ответа.</translation>
    </message>
    <message>
        <source>This conversation has no tool calls.</source>
        <translation>В этой беседе нет вызовов инструментов.</translation>
    </message>
    <message>
        <source>Editing your message: %1 sends it as a new branch (the old one stays), %2 cancels.</source>
        <translation>Правка сообщения: %1 отправит его новой веткой (старая останется), %2 — отмена.</translation>
    </message>
    <message>
        <source>Choose a message with %1 or %2 first.</source>
        <translation>Сначала выберите сообщение клавишами %1 или %2.</translation>
    </message>
    <message>
        <source>A reply is still streaming here: stop it with %1 or let it finish, then delete.</source>
        <translation>Здесь ещё идёт ответ: остановите его клавишей %1 или дождитесь конца, потом удаляйте.</translation>
    </message>
    <message>
        <source>Messages deleted: %1. Press %2 within 10 seconds to undo.</source>
        <translation>Удалено сообщений: %1. Нажмите %2 в течение 10 секунд, чтобы отменить.</translation>
    </message>
    <message>
        <source>No finished reply here shows its thinking.</source>
        <translation>Здесь нет завершённого ответа с размышлениями.</translation>
    </message>
    <message>
        <source>Copied the message as Markdown.</source>
        <translation>Сообщение скопировано в формате Markdown.</translation>
    </message>
    <message>
        <source>Copied the last code block.</source>
        <translation>Последний блок кода скопирован.</translation>
    </message>
    <message>
        <source>Only the last reply can be regenerated.</source>
        <translation>Заново можно сгенерировать только последний ответ.</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Провайдеры</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Инструменты</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>Provider and model for this conversation</source>
        <translation>Провайдер и модель для этой беседы</translation>
    </message>
    <message>
        <source>Default provider for new conversations</source>
        <translation>Провайдер по умолчанию для новых бесед</translation>
    </message>
    <message>
        <source>Text size: %1 pt</source>
        <translation>Размер текста: %1 пт</translation>
    </message>
    <message>
        <source>Could not save the key bindings (%1). They apply until you quit.</source>
        <translation>Не удалось сохранить сочетания клавиш (%1). Они действуют до выхода из программы.</translation>
    </message>
    <message>
        <source>A tool server is left out of this reply: %1</source>
        <translation>Сервер инструментов не участвует в этом ответе: %1</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Новая беседа</translation>
    </message>
    <message>
        <source>  ·  system prompt set</source>
        <translation>  ·  задан системный промпт</translation>
    </message>
    <message>
        <source>  ·  own generation settings</source>
        <translation>  ·  свои настройки генерации</translation>
    </message>
    <message>
        <source>  ·  no MCP tools (the site runs its own)</source>
        <translation>  ·  без инструментов MCP (у сайта свои)</translation>
    </message>
    <message>
        <source>  ·  no tools (not supported here)</source>
        <translation>  ·  без инструментов (здесь не поддерживаются)</translation>
    </message>
</context>
<context>
    <name>Menu</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Go to conversation</source>
        <translation>Перейти к &amp;беседе</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Беседа</translation>
    </message>
    <message>
        <source>Hi&amp;story</source>
        <translation>&amp;История</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Conversation &amp;%1</source>
        <translation>Беседа &amp;%1</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Новая беседа</translation>
    </message>
    <message>
        <source>&amp;Providers…</source>
        <translation>&amp;Провайдеры…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>На&amp;стройки…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;Copy message as Markdown</source>
        <translation>&amp;Копировать сообщение как Markdown</translation>
    </message>
    <message>
        <source>Copy co&amp;de block</source>
        <translation>Копировать &amp;блок кода</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Найти…</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>Найти &amp;следующее</translation>
    </message>
    <message>
        <source>Find &amp;previous</source>
        <translation>Найти &amp;предыдущее</translation>
    </message>
    <message>
        <source>&amp;Conversation list</source>
        <translation>&amp;Список бесед</translation>
    </message>
    <message>
        <source>Focus the co&amp;mposer</source>
        <translation>&amp;Поле ввода</translation>
    </message>
    <message>
        <source>&amp;Switch conversation…</source>
        <translation>Пе&amp;реключить беседу…</translation>
    </message>
    <message>
        <source>&amp;Next conversation</source>
        <translation>Сл&amp;едующая беседа</translation>
    </message>
    <message>
        <source>&amp;Previous conversation</source>
        <translation>Пре&amp;дыдущая беседа</translation>
    </message>
    <message>
        <source>&amp;First message</source>
        <translation>Пер&amp;вое сообщение</translation>
    </message>
    <message>
        <source>L&amp;atest message</source>
        <translation>Пос&amp;леднее сообщение</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Текст &amp;крупнее</translation>
    </message>
    <message>
        <source>Smaller &amp;text</source>
        <translation>Текст &amp;мельче</translation>
    </message>
    <message>
        <source>&amp;Reset text size</source>
        <translation>&amp;Обычный размер текста</translation>
    </message>
    <message>
        <source>&amp;Stop the reply</source>
        <translation>&amp;Остановить ответ</translation>
    </message>
    <message>
        <source>&amp;Retry or regenerate</source>
        <translation>&amp;Повторить или сгенерировать заново</translation>
    </message>
    <message>
        <source>C&amp;ontinue the reply</source>
        <translation>Продолжить о&amp;твет</translation>
    </message>
    <message>
        <source>Allo&amp;w the tool call once</source>
        <translation>Р&amp;азрешить вызов инструмента один раз</translation>
    </message>
    <message>
        <source>A&amp;lways allow this tool</source>
        <translation>Всегда разр&amp;ешать этот инструмент</translation>
    </message>
    <message>
        <source>Den&amp;y the tool call</source>
        <translation>Запретить вызов инструме&amp;нта</translation>
    </message>
    <message>
        <source>Open or &amp;fold a tool call</source>
        <translation>Раскрыть или свернуть сведени&amp;я о вызове инструмента</translation>
    </message>
    <message>
        <source>Choose the pre&amp;vious message</source>
        <translation>&amp;Выбрать предыдущее сообщение</translation>
    </message>
    <message>
        <source>Choose the ne&amp;xt message</source>
        <translation>Выбрать с&amp;ледующее сообщение</translation>
    </message>
    <message>
        <source>Delete the chosen messa&amp;ge…</source>
        <translation>&amp;Удалить выбранное сообщение…</translation>
    </message>
    <message>
        <source>Show the previous &amp;branch</source>
        <translation>Показать пред&amp;ыдущую ветку</translation>
    </message>
    <message>
        <source>Show the next branc&amp;h</source>
        <translation>Показать следующую вет&amp;ку</translation>
    </message>
    <message>
        <source>Show or hide the &amp;thinking</source>
        <translation>Показать или скрыть &amp;размышления</translation>
    </message>
    <message>
        <source>&amp;Attach files…</source>
        <translation>Прикрепить &amp;файлы…</translation>
    </message>
    <message>
        <source>Provider and &amp;model…</source>
        <translation>Провайдер и &amp;модель…</translation>
    </message>
    <message>
        <source>System &amp;prompt…</source>
        <translation>&amp;Системный промпт…</translation>
    </message>
    <message>
        <source>Generation s&amp;ettings…</source>
        <translation>Настройки &amp;генерации…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>Пере&amp;именовать…</translation>
    </message>
    <message>
        <source>P&amp;in or unpin</source>
        <translation>&amp;Закрепить или открепить</translation>
    </message>
    <message>
        <source>&amp;Delete conversation</source>
        <translation>Удалить &amp;беседу</translation>
    </message>
    <message>
        <source>&amp;Undo delete</source>
        <translation>Отменить у&amp;даление</translation>
    </message>
    <message>
        <source>&amp;Search all conversations…</source>
        <translation>&amp;Искать во всех беседах…</translation>
    </message>
    <message>
        <source>&amp;Export this conversation…</source>
        <translation>&amp;Экспортировать эту беседу…</translation>
    </message>
    <message>
        <source>Export &amp;all conversations…</source>
        <translation>Экспортировать &amp;все беседы…</translation>
    </message>
    <message>
        <source>&amp;Import conversations…</source>
        <translation>И&amp;мпортировать беседы…</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>Создать &amp;резервную копию</translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation>Восс&amp;тановить из резервной копии…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Copy selection</source>
        <translation>Копировать выделенное</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Копировать сообщение</translation>
    </message>
    <message>
        <source>Copy code block</source>
        <translation>Копировать блок кода</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Сгенерировать заново</translation>
    </message>
    <message>
        <source>Edit (a new branch)</source>
        <translation>Изменить (новая ветка)</translation>
    </message>
    <message>
        <source>Reply details…</source>
        <translation>Подробности ответа…</translation>
    </message>
    <message>
        <source>Previous branch</source>
        <translation>Предыдущая ветка</translation>
    </message>
    <message>
        <source>Next branch</source>
        <translation>Следующая ветка</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Удалить сообщение</translation>
    </message>
</context>
<context>
    <name>OlderHint</name>
    <message>
        <source>Loading older messages…</source>
        <translation>Загрузка более ранних сообщений…</translation>
    </message>
</context>
<context>
    <name>OperationProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>%1: cancelling…</source>
        <translation>%1: отмена…</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 из %3</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>%1 cancels</source>
        <translation>%1 — отменить</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>%1 failed unexpectedly: %2</source>
        <translation>%1: неожиданная ошибка: %2</translation>
    </message>
</context>
<context>
    <name>Overlay</name>
    <message>
        <source>%1 opens</source>
        <translation>%1 — открыть</translation>
    </message>
    <message>
        <source>%1 closes</source>
        <translation>%1 — закрыть</translation>
    </message>
</context>
<context>
    <name>PanelHost</name>
    <message>
        <source>New conversation</source>
        <translation>Новая беседа</translation>
    </message>
</context>
<context>
    <name>ProviderError</name>
    <message>
        <source>The request failed</source>
        <translation>Запрос не удался</translation>
    </message>
    <message>
        <source>Try again, or check the provider settings.</source>
        <translation>Попробуйте снова или проверьте настройки провайдера.</translation>
    </message>
    <message>
        <source>Could not reach the server</source>
        <translation>Не удалось связаться с сервером</translation>
    </message>
    <message>
        <source>Check the address and your network connection, then press Retry.</source>
        <translation>Проверьте адрес и подключение к сети, затем нажмите «Повторить».</translation>
    </message>
    <message>
        <source>The server stopped answering</source>
        <translation>Сервер перестал отвечать</translation>
    </message>
    <message>
        <source>It may be overloaded; press Retry, or raise the timeout in the settings.</source>
        <translation>Возможно, он перегружен; нажмите «Повторить» или увеличьте тайм-аут в настройках.</translation>
    </message>
    <message>
        <source>The server answered with an error</source>
        <translation>Сервер ответил ошибкой</translation>
    </message>
    <message>
        <source>Press Retry; if it keeps happening, check the provider settings.</source>
        <translation>Нажмите «Повторить»; если это повторяется, проверьте настройки провайдера.</translation>
    </message>
    <message>
        <source>The server refused the request</source>
        <translation>Сервер отклонил запрос</translation>
    </message>
    <message>
        <source>Check the API key or site settings, then press Retry.</source>
        <translation>Проверьте API-ключ или настройки сайта, затем нажмите «Повторить».</translation>
    </message>
    <message>
        <source>The server sent a reply this app cannot read</source>
        <translation>Сервер прислал ответ, который приложение не может прочитать</translation>
    </message>
    <message>
        <source>Check that the address points at the right kind of server.</source>
        <translation>Проверьте, что адрес указывает на сервер нужного типа.</translation>
    </message>
    <message>
        <source>The server reported an error:</source>
        <translation>Сервер сообщил об ошибке:</translation>
    </message>
    <message>
        <source>Press Retry; if it repeats, the server may need attention.</source>
        <translation>Нажмите «Повторить»; если ошибка повторится, серверу, возможно, нужна помощь администратора.</translation>
    </message>
    <message>
        <source>The proxy failed</source>
        <translation>Ошибка прокси</translation>
    </message>
    <message>
        <source>Check the proxy address and credentials in the settings, then press Retry.</source>
        <translation>Проверьте адрес прокси и учётные данные в настройках, затем нажмите «Повторить».</translation>
    </message>
    <message>
        <source>The reply was cut off before it finished</source>
        <translation>Ответ оборвался, не завершившись</translation>
    </message>
    <message>
        <source>The part that arrived is kept; press Retry to ask again.</source>
        <translation>Полученная часть сохранена; нажмите «Повторить», чтобы спросить снова.</translation>
    </message>
    <message>
        <source>Could not reach the Opchatgpts service at https://opchatgpts.net; the public site has shut down. Press Retry, start with --demo to try the app offline, or point --url at another AI Engine site.</source>
        <translation>Не удалось связаться с сервисом Opchatgpts на https://opchatgpts.net: публичный сайт закрыт. Нажмите «Повторить», запустите приложение с --demo, чтобы попробовать его без сети, или укажите в --url другой сайт AI Engine.</translation>
    </message>
    <message>
        <source>The site refused the request and did not offer a security token (nonce). Check the site address, path prefix and chatbot page in the provider settings, then press Retry.</source>
        <translation>Сайт отклонил запрос и не выдал токен безопасности (nonce). Проверьте адрес сайта, префикс пути и страницу чат-бота в настройках провайдера, затем нажмите «Повторить».</translation>
    </message>
    <message>
        <source>%1 characters, at most %2</source>
        <translation>%1 символов, не больше %2</translation>
    </message>
    <message>
        <source>The site refused this message</source>
        <translation>Сайт отказался принять это сообщение</translation>
    </message>
    <message>
        <source>It may be longer than the bot&apos;s input limit, empty, or meant for a bot the site does not have. Shorten the message, or check the bot id in the provider settings.</source>
        <translation>Возможно, оно длиннее лимита ввода бота, пустое или адресовано боту, которого на сайте нет. Сократите сообщение или проверьте идентификатор бота в настройках провайдера.</translation>
    </message>
    <message>
        <source>The message is longer than this site accepts</source>
        <translation>Сообщение длиннее, чем принимает этот сайт</translation>
    </message>
    <message>
        <source>Shorten it and send again, or raise the input limit in the provider settings if the site allows more.</source>
        <translation>Сократите его и отправьте снова или увеличьте лимит ввода в настройках провайдера, если сайт допускает больше.</translation>
    </message>
    <message>
        <source>There is no message to send</source>
        <translation>Нет сообщения для отправки</translation>
    </message>
    <message>
        <source>Type a message, then send it.</source>
        <translation>Введите сообщение и отправьте его.</translation>
    </message>
    <message>
        <source>The conversation is longer than the model&apos;s context</source>
        <translation>Разговор длиннее контекста модели</translation>
    </message>
    <message>
        <source>Start a new conversation, shorten this one, or raise the server&apos;s context size (for llama.cpp, its --ctx-size).</source>
        <translation>Начните новый разговор, сократите этот или увеличьте размер контекста на сервере (для llama.cpp — параметр --ctx-size).</translation>
    </message>
    <message>
        <source>Wait a moment, then press Retry.</source>
        <translation>Подождите немного, затем нажмите «Повторить».</translation>
    </message>
    <message>
        <source>The server is limiting requests</source>
        <translation>Сервер ограничивает число запросов</translation>
    </message>
</context>
<context>
    <name>ProviderPicker</name>
    <message>
        <source>Type to filter providers and models</source>
        <translation>Начните печатать, чтобы отфильтровать провайдеров и модели</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Фильтр</translation>
    </message>
    <message>
        <source>Providers and models</source>
        <translation>Провайдеры и модели</translation>
    </message>
    <message>
        <source>Enter picks · Esc cancels</source>
        <translation>Enter — выбрать · Esc — отмена</translation>
    </message>
    <message>
        <source>%1 manages providers</source>
        <translation>%1 — управление провайдерами</translation>
    </message>
    <message>
        <source>context %1</source>
        <translation>контекст %1</translation>
    </message>
    <message>
        <source>thinks</source>
        <translation>думает</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ProviderService</name>
    <message>
        <source>Found %1 running at %2; new conversations use it now (Opchatgpts has shut down).</source>
        <translation>Найден %1 по адресу %2; новые беседы теперь используют его (Opchatgpts закрылся).</translation>
    </message>
</context>
<context>
    <name>ProvidersPage</name>
    <message>
        <source>AI Engine site</source>
        <translation>Сайт AI Engine</translation>
    </message>
    <message>
        <source>OpenAI-compatible</source>
        <translation>Совместимый с OpenAI</translation>
    </message>
    <message>
        <source>Opchatgpts (reference client)</source>
        <translation>Opchatgpts (эталонный клиент)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>What the picker and the header call it.</source>
        <translation>Так он называется в списке выбора и в заголовке.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>AI Engine: a WordPress chatbot site. OpenAI-compatible: Ollama, LM Studio, llama.cpp, OpenAI, OpenRouter and the like.</source>
        <translation>AI Engine: сайт WordPress с чат-ботом. Совместимый с OpenAI: Ollama, LM Studio, llama.cpp, OpenAI, OpenRouter и подобные.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>AI Engine: the site&apos;s base URL. OpenAI-compatible: the API base, e.g. http://localhost:11434/v1.</source>
        <translation>AI Engine: базовый адрес сайта. Совместимый с OpenAI: адрес API, например http://localhost:11434/v1.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>The default model for new conversations.</source>
        <translation>Модель по умолчанию для новых бесед.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Ключ API</translation>
    </message>
    <message>
        <source>Kept in the system keyring (or a private file), never in the settings file.</source>
        <translation>Хранится в системной связке ключей (или в личном файле), но никогда в файле настроек.</translation>
    </message>
    <message>
        <source>Bot id</source>
        <translation>Идентификатор бота</translation>
    </message>
    <message>
        <source>Usually “default”.</source>
        <translation>Обычно «default».</translation>
    </message>
    <message>
        <source>Custom id</source>
        <translation>Собственный идентификатор</translation>
    </message>
    <message>
        <source>The 32-hex id of a shortcode bot; leave empty otherwise.</source>
        <translation>Шестнадцатеричный идентификатор (32 знака) бота из шорткода; иначе оставьте пустым.</translation>
    </message>
    <message>
        <source>Path prefix</source>
        <translation>Префикс пути</translation>
    </message>
    <message>
        <source>Where WordPress lives under the site, e.g. /chatgpt; usually empty.</source>
        <translation>Где WordPress находится на сайте, например /chatgpt; обычно пусто.</translation>
    </message>
    <message>
        <source>Chatbot page</source>
        <translation>Страница чат-бота</translation>
    </message>
    <message>
        <source>The page that shows the site&apos;s chatbot, as an address or a path such as /chat/. Sites that want a security token print it only there; empty means the home page.</source>
        <translation>Страница, на которой показан чат-бот сайта: адрес или путь вида /chat/. Сайты, которым нужен токен безопасности, выводят его только там; пусто — главная страница.</translation>
    </message>
    <message>
        <source>Input limit (characters)</source>
        <translation>Лимит ввода (символов)</translation>
    </message>
    <message>
        <source>The bot&apos;s limit on one message; a longer one is refused before it is sent. The plugin&apos;s default is 512; 0 means no limit.</source>
        <translation>Лимит бота на одно сообщение; более длинное отклоняется ещё до отправки. По умолчанию в плагине 512; 0 — без лимита.</translation>
    </message>
    <message>
        <source>Send the new turn separately</source>
        <translation>Отправлять новую реплику отдельно</translation>
    </message>
    <message>
        <source>On (right for every plugin version): the history without the new message, which goes on its own, as the plugin&apos;s web client sends it. Off makes plugin 2.4 and later show the model the new message twice.</source>
        <translation>Включено (верно для любой версии плагина): история без нового сообщения, которое передаётся отдельно, как это делает веб-клиент плагина. Если выключить, плагин 2.4 и новее покажет модели новое сообщение дважды.</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>Длина контекста (токенов)</translation>
    </message>
    <message>
        <source>How many tokens the model reads at once. Empty: as the server says (llama.cpp, Ollama, LM Studio and OpenRouter tell it); set it for a server that does not.</source>
        <translation>Сколько токенов модель читает за раз. Пусто — как сообщает сервер (llama.cpp, Ollama, LM Studio и OpenRouter это сообщают); задайте для сервера, который не сообщает.</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>http://, https:// or socks5://host:port, with user@ if it needs one; empty uses the global proxy.</source>
        <translation>http://, https:// или socks5://хост:порт, с user@, если нужен вход; пусто — общий прокси.</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Пароль прокси</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>Файл сертификата ЦС</translation>
    </message>
    <message>
        <source>A PEM file to trust as well, for a server with its own (self-signed) certificate; usually empty.</source>
        <translation>PEM-файл, которому тоже доверять, для сервера с собственным (самоподписанным) сертификатом; обычно пусто.</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Провайдеры</translation>
    </message>
    <message>
        <source>Start from a preset</source>
        <translation>Начать с шаблона</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Новый</translation>
    </message>
    <message>
        <source>API keys and proxy passwords are kept in the system keyring.</source>
        <translation>Ключи API и пароли прокси хранятся в системной связке ключей.</translation>
    </message>
    <message>
        <source>No system keyring is available here, so API keys and proxy passwords are kept in %1, readable only by you.</source>
        <translation>Системной связки ключей здесь нет, поэтому ключи API и пароли прокси хранятся в %1, доступном для чтения только вам.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>Make &amp;default</source>
        <translation>Сделать &amp;основным</translation>
    </message>
    <message>
        <source>Generation defaults</source>
        <translation>Параметры генерации по умолчанию</translation>
    </message>
    <message>
        <source>  (default)</source>
        <translation>  (по умолчанию)</translation>
    </message>
    <message>
        <source>New AI Engine site</source>
        <translation>Новый сайт AI Engine</translation>
    </message>
    <message>
        <source>Fill in the form, then Save.</source>
        <translation>Заполните форму и нажмите «Сохранить».</translation>
    </message>
    <message>
        <source>An address is needed.</source>
        <translation>Нужен адрес.</translation>
    </message>
    <message>
        <source>The context length is a number of tokens, or empty for what the server says.</source>
        <translation>Длина контекста — число токенов или пусто, чтобы взять значение сервера.</translation>
    </message>
    <message>
        <source>A generation default is refused; its field says why. Nothing was saved.</source>
        <translation>Значение генерации отклонено; поле объясняет почему. Ничего не сохранено.</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>Сохранено: «%1».</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>Удалено.</translation>
    </message>
    <message>
        <source>New conversations will use this provider.</source>
        <translation>Новые беседы будут использовать этого провайдера.</translation>
    </message>
    <message>
        <source>stored; type to replace</source>
        <translation>сохранён; введите, чтобы заменить</translation>
    </message>
    <message>
        <source>as the server says</source>
        <translation>как сообщает сервер</translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message>
        <source>Switch conversation</source>
        <translation>Переключить беседу</translation>
    </message>
    <message>
        <source>Type part of a title</source>
        <translation>Введите часть названия</translation>
    </message>
    <message>
        <source>%1 to choose</source>
        <translation>%1 — выбор</translation>
    </message>
    <message>
        <source>%1 to open</source>
        <translation>%1 — открыть</translation>
    </message>
    <message>
        <source>%1 to close</source>
        <translation>%1 — закрыть</translation>
    </message>
</context>
<context>
    <name>RenamePrompt</name>
    <message>
        <source>Rename conversation</source>
        <translation>Переименовать беседу</translation>
    </message>
    <message>
        <source>New title</source>
        <translation>Новое название</translation>
    </message>
    <message>
        <source>%1 saves</source>
        <translation>%1 — сохранить</translation>
    </message>
    <message>
        <source>%1 cancels</source>
        <translation>%1 — отменить</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Thinking:</source>
        <translation>Размышления:</translation>
    </message>
    <message>
        <source>Search all conversations</source>
        <translation>Поиск по всем беседам</translation>
    </message>
    <message>
        <source>Search words, in any language</source>
        <translation>Слова для поиска, на любом языке</translation>
    </message>
    <message>
        <source>%1 opens the message</source>
        <translation>%1 открывает сообщение</translation>
    </message>
    <message>
        <source>%1 closes</source>
        <translation>%1 — закрыть</translation>
    </message>
    <message>
        <source>Hits: %1</source>
        <translation>Найдено: %1</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>a proxy looks like http://host:port or socks5://host:port</source>
        <translation>адрес прокси выглядит как http://хост:порт или socks5://хост:порт</translation>
    </message>
    <message>
        <source>the port is not a number</source>
        <translation>порт — не число</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>ожидается %1</translation>
    </message>
    <message>
        <source>not one of the choices</source>
        <translation>нет среди вариантов</translation>
    </message>
    <message>
        <source>below the minimum %1</source>
        <translation>меньше минимума %1</translation>
    </message>
    <message>
        <source>above the maximum %1</source>
        <translation>больше максимума %1</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>да или нет (true/false)</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>целое число</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>число</translation>
    </message>
    <message>
        <source>text</source>
        <translation>текст</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Соединение</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>System follows the desktop&apos;s light or dark mode.</source>
        <translation>«Системная» следует светлому или тёмному режиму рабочего стола.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Системная</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>The language of the interface and of dates and numbers.</source>
        <translation>Язык интерфейса, дат и чисел.</translation>
    </message>
    <message>
        <source>As on the desktop</source>
        <translation>Как на рабочем столе</translation>
    </message>
    <message>
        <source>Transcript font</source>
        <translation>Шрифт переписки</translation>
    </message>
    <message>
        <source>Empty uses the desktop&apos;s font.</source>
        <translation>Если не задан, используется шрифт рабочего стола.</translation>
    </message>
    <message>
        <source>Transcript font size</source>
        <translation>Размер шрифта переписки</translation>
    </message>
    <message>
        <source>In points.</source>
        <translation>В пунктах.</translation>
    </message>
    <message>
        <source>Composer font</source>
        <translation>Шрифт поля ввода</translation>
    </message>
    <message>
        <source>Composer font size</source>
        <translation>Размер шрифта поля ввода</translation>
    </message>
    <message>
        <source>Send with</source>
        <translation>Отправлять клавишей</translation>
    </message>
    <message>
        <source>The other key combination inserts a new line.</source>
        <translation>Другое сочетание клавиш вставляет новую строку.</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Enter (Shift+Enter — новая строка)</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Enter (Enter — новая строка)</translation>
    </message>
    <message>
        <source>Follow the reply as it streams</source>
        <translation>Прокручивать за ответом, пока он приходит</translation>
    </message>
    <message>
        <source>Off: the transcript stays where you scrolled.</source>
        <translation>Если выключено, переписка остаётся там, куда вы её прокрутили.</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>Модель по умолчанию</translation>
    </message>
    <message>
        <source>Empty lets the provider choose.</source>
        <translation>Если не задана, выбирает провайдер.</translation>
    </message>
    <message>
        <source>Default system prompt</source>
        <translation>Системный промпт по умолчанию</translation>
    </message>
    <message>
        <source>Sent first in every new conversation.</source>
        <translation>Отправляется первым в каждой новой беседе.</translation>
    </message>
    <message>
        <source>Largest attached image side</source>
        <translation>Наибольшая сторона прикреплённого изображения</translation>
    </message>
    <message>
        <source>In pixels; larger images are scaled down before they are sent.</source>
        <translation>В пикселях; изображения крупнее уменьшаются перед отправкой.</translation>
    </message>
    <message>
        <source>Conversation context</source>
        <translation>Контекст разговора</translation>
    </message>
    <message>
        <source>What is sent with each message when the conversation grows long.</source>
        <translation>Что отправляется с каждым сообщением, когда разговор становится длинным.</translation>
    </message>
    <message>
        <source>Drop the oldest turns so it fits the model</source>
        <translation>Отбрасывать самые старые реплики, чтобы поместиться в модель</translation>
    </message>
    <message>
        <source>Only the last N messages</source>
        <translation>Только последние N сообщений</translation>
    </message>
    <message>
        <source>Everything (the server may refuse it)</source>
        <translation>Всё (сервер может отказать)</translation>
    </message>
    <message>
        <source>Last N messages</source>
        <translation>Последние N сообщений</translation>
    </message>
    <message>
        <source>How many recent messages “Only the last N messages” sends; the system prompt goes besides.</source>
        <translation>Сколько последних сообщений отправляет режим «Только последние N сообщений»; системный промпт отправляется сверх того.</translation>
    </message>
    <message>
        <source>Tool steps per reply</source>
        <translation>Шагов с инструментами на ответ</translation>
    </message>
    <message>
        <source>How many rounds of tool calls a model may make before it must answer; a conversation may set its own in its generation settings.</source>
        <translation>Сколько раундов вызовов инструментов модель может сделать, прежде чем должна ответить; у беседы может быть своё значение в её настройках генерации.</translation>
    </message>
    <message>
        <source>Wait for tool servers</source>
        <translation>Ждать серверы инструментов</translation>
    </message>
    <message>
        <source>Seconds a reply waits for a tool server to start and list its tools; a slower one is left out of that reply and is not waited for again for a while.</source>
        <translation>Сколько секунд ответ ждёт, пока сервер инструментов запустится и перечислит свои инструменты; более медленный не участвует в этом ответе, и его какое-то время больше не ждут.</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>For example http://127.0.0.1:8080. Empty: no proxy.</source>
        <translation>Например, http://127.0.0.1:8080. Пусто — без прокси.</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>Тайм-аут соединения</translation>
    </message>
    <message>
        <source>Seconds to wait for the server to answer at all.</source>
        <translation>Сколько секунд ждать, пока сервер вообще ответит.</translation>
    </message>
    <message>
        <source>Read timeout</source>
        <translation>Тайм-аут чтения</translation>
    </message>
    <message>
        <source>Longest silence, in seconds, allowed mid-reply.</source>
        <translation>Самая долгая пауза посреди ответа, в секундах.</translation>
    </message>
    <message>
        <source>Unknown setting “%1” was ignored.</source>
        <translation>Неизвестная настройка «%1» пропущена.</translation>
    </message>
    <message>
        <source>Setting “%1” had an invalid value (%2); using the default.</source>
        <translation>У настройки «%1» недопустимое значение (%2); используется значение по умолчанию.</translation>
    </message>
    <message>
        <source>The settings file %1 could not be read (%2) nor moved aside (%3); using the defaults.</source>
        <translation>Файл настроек %1 не удалось ни прочитать (%2), ни отложить в сторону (%3); используются значения по умолчанию.</translation>
    </message>
    <message>
        <source>The settings file could not be read (%1). It was moved to %2; using the defaults.</source>
        <translation>Файл настроек не удалось прочитать (%1). Он перемещён в %2; используются значения по умолчанию.</translation>
    </message>
    <message>
        <source>Could not save the settings to %1 (%2).</source>
        <translation>Не удалось сохранить настройки в %1 (%2).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Разделы настроек</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Данные</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Вернуть значения по умолчанию</translation>
    </message>
    <message>
        <source>Put every setting on this page back to its default</source>
        <translation>Вернуть все настройки этой страницы к значениям по умолчанию</translation>
    </message>
    <message>
        <source>A new language shows after a restart.</source>
        <translation>Новый язык появится после перезапуска.</translation>
    </message>
    <message>
        <source>Desktop default</source>
        <translation>Как на рабочем столе</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Open data folder</source>
        <translation>Открыть папку данных</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Папка данных</translation>
    </message>
    <message>
        <source>History, settings and logs live here. Start opchat-gui with --data-dir DIR to keep everything in another folder, for example on a USB stick.</source>
        <translation>Здесь хранятся история, настройки и журналы. Запустите opchat-gui с --data-dir ПАПКА, чтобы держать всё в другой папке, например на флешке.</translation>
    </message>
    <message>
        <source>Settings file</source>
        <translation>Файл настроек</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <source>Show the conversation list</source>
        <translation>Показать список разговоров</translation>
    </message>
    <message>
        <source>Filter conversations</source>
        <translation>Фильтр разговоров</translation>
    </message>
    <message>
        <source>Filter by title</source>
        <translation>Фильтр по названию</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>Начать новую беседу</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>The history file was damaged (%1). It was moved aside to %2 (nothing was deleted) and a fresh history was started.</source>
        <translation>Файл истории повреждён (%1). Он перемещён в %2 (ничего не удалено), начата новая история.</translation>
    </message>
    <message>
        <source>The history in %1 cannot be written (%2). It is shown read-only and nothing new will be saved: make the folder writable or free some space, then restart.</source>
        <translation>Историю в %1 нельзя записать (%2). Она показана только для чтения, и ничего нового не сохранится: разрешите запись в папку или освободите место, затем перезапустите приложение.</translation>
    </message>
    <message>
        <source>opchat-gui is already running</source>
        <translation>opchat-gui уже запущен</translation>
    </message>
    <message>
        <source>opchat-gui cannot open the history</source>
        <translation>opchat-gui не может открыть историю</translation>
    </message>
</context>
<context>
    <name>StepLimitField</name>
    <message>
        <source>Tools</source>
        <translation>Инструменты</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (по умолчанию)</translation>
    </message>
    <message>
        <source>Tool steps per reply</source>
        <translation>Шагов с инструментами на ответ</translation>
    </message>
    <message>
        <source>How many rounds of tool calls the model may make in one reply before it must answer, from 1 to %1. Empty uses the default from the settings.</source>
        <translation>Сколько раундов вызовов инструментов модель может сделать за один ответ, прежде чем должна ответить, от 1 до %1. Пусто — значение по умолчанию из настроек.</translation>
    </message>
    <message>
        <source>Tool &amp;steps per reply</source>
        <translation>&amp;Шагов с инструментами на ответ</translation>
    </message>
    <message>
        <source>Type a whole number from 1 to %1, or leave it empty for the default.</source>
        <translation>Введите целое число от 1 до %1 или оставьте поле пустым для значения по умолчанию.</translation>
    </message>
</context>
<context>
    <name>StreamStatus</name>
    <message>
        <source>Reply status</source>
        <translation>Состояние ответа</translation>
    </message>
    <message>
        <source>Tokens the server reported for the last reply: the request it read (prompt) and what it wrote (completion, thinking included).</source>
        <translation>Токены, которые сервер сообщил для последнего ответа: прочитанный им запрос и написанный им ответ (вместе с размышлениями).</translation>
    </message>
    <message>
        <source>%1 continues</source>
        <translation>%1 — продолжить</translation>
    </message>
    <message>
        <source>%1 retries</source>
        <translation>%1 — повторить</translation>
    </message>
    <message>
        <source>Streaming · %1 s · %2 characters · %3 characters/s · %4 stops</source>
        <translation>Идёт ответ · %1 с · %2 симв. · %3 симв./с · %4 — остановить</translation>
    </message>
    <message>
        <source>Thinking · %1 s · %2 characters of thinking · %3 stops</source>
        <translation>Размышляет · %1 с · %2 симв. размышлений · %3 — остановить</translation>
    </message>
    <message>
        <source>Last reply: %1 prompt + %2 completion (thinking included) = %3 tokens</source>
        <translation>Последний ответ, токены: %1 запрос + %2 ответ (с размышлениями) = %3</translation>
    </message>
    <message>
        <source>Last reply: %1 prompt + %2 completion = %3 tokens</source>
        <translation>Последний ответ, токены: %1 запрос + %2 ответ = %3</translation>
    </message>
    <message>
        <source>Last reply: %1 tokens</source>
        <translation>Последний ответ, токены: %1</translation>
    </message>
</context>
<context>
    <name>SystemPromptDialog</name>
    <message>
        <source>System prompt</source>
        <translation>Системный промпт</translation>
    </message>
    <message>
        <source>Instructions sent first, as a system message, with every request of this conversation. Empty sends none.</source>
        <translation>Указания, которые отправляются первыми, системным сообщением, с каждым запросом этой беседы. Пусто — ничего не отправляется.</translation>
    </message>
    <message>
        <source>This conversation&apos;s system prompt (Ctrl+Enter saves, Esc cancels):</source>
        <translation>Системный промпт этой беседы (Ctrl+Enter — сохранить, Esc — отмена):</translation>
    </message>
</context>
<context>
    <name>ToolApprovalBar</name>
    <message>
        <source>Arguments</source>
        <translation>Аргументы</translation>
    </message>
    <message>
        <source>The model wants to run the tool %1 on the server %2. Allow it?</source>
        <translation>Модель хочет запустить инструмент %1 на сервере %2. Разрешить?</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>Разрешить один раз</translation>
    </message>
    <message>
        <source>Always allow this tool</source>
        <translation>Всегда разрешать этот инструмент</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>Запретить</translation>
    </message>
    <message>
        <source>Always allow is remembered for this tool of this server; revoke it in the settings. %1 stops the whole reply.</source>
        <translation>«Всегда разрешать» запоминается для этого инструмента этого сервера; отозвать можно в настройках. %1 останавливает весь ответ.</translation>
    </message>
</context>
<context>
    <name>ToolServers</name>
    <message>
        <source>%1, line %2: write it as NAME%3value</source>
        <translation>%1, строка %2: пишите в виде ИМЯ%3значение</translation>
    </message>
    <message>
        <source>A tool server needs a name.</source>
        <translation>У сервера инструментов должно быть имя.</translation>
    </message>
    <message>
        <source>There is already a tool server named %1.</source>
        <translation>Сервер инструментов с именем %1 уже есть.</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Окружение</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Заголовки</translation>
    </message>
    <message>
        <source>Type the value of %1: no value is stored for it.</source>
        <translation>Введите значение %1: сохранённого значения нет.</translation>
    </message>
    <message>
        <source>The tool servers file could not be saved: %1</source>
        <translation>Не удалось сохранить файл серверов инструментов: %1</translation>
    </message>
    <message>
        <source>No tool server is named %1.</source>
        <translation>Нет сервера инструментов с именем %1.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(нет)</translation>
    </message>
</context>
<context>
    <name>ToolsPage</name>
    <message>
        <source>Tool servers</source>
        <translation>Серверы инструментов</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Имя</translation>
    </message>
    <message>
        <source>Co&amp;mmand</source>
        <translation>&amp;Команда</translation>
    </message>
    <message>
        <source>A&amp;rguments</source>
        <translation>&amp;Аргументы</translation>
    </message>
    <message>
        <source>En&amp;vironment (NAME=value)</source>
        <translation>&amp;Окружение (ИМЯ=значение)</translation>
    </message>
    <message>
        <source>&amp;Folder</source>
        <translation>&amp;Папка</translation>
    </message>
    <message>
        <source>or &amp;URL (streamable HTTP)</source>
        <translation>или &amp;URL (streamable HTTP)</translation>
    </message>
    <message>
        <source>&amp;Headers (Name: value)</source>
        <translation>&amp;Заголовки (Имя: значение)</translation>
    </message>
    <message>
        <source>&amp;Enabled: offer its tools to models</source>
        <translation>&amp;Включён: предлагать его инструменты моделям</translation>
    </message>
    <message>
        <source>Always allowed tools</source>
        <translation>Всегда разрешённые инструменты</translation>
    </message>
    <message>
        <source>&amp;Always allowed (Del revokes)</source>
        <translation>Всегда &amp;разрешены (Del отзывает)</translation>
    </message>
    <message>
        <source>Ne&amp;w</source>
        <translation>&amp;Новый</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Тест</translation>
    </message>
    <message>
        <source>Rev&amp;oke</source>
        <translation>Отозват&amp;ь</translation>
    </message>
    <message>
        <source>&amp;Delete server</source>
        <translation>&amp;Удалить сервер</translation>
    </message>
    <message>
        <source>Servers in the mcpServers shape of Claude Desktop; secrets in the environment and headers go to the key store. A server starts when a reply first offers its tools, never with the app.</source>
        <translation>Серверы в формате mcpServers из Claude Desktop; секреты из окружения и заголовков хранятся в хранилище ключей. Сервер запускается, когда ответ впервые предлагает его инструменты, а не вместе с приложением.</translation>
    </message>
    <message>
        <source> (off)</source>
        <translation> (выкл.)</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>%1 сохранён.</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>Запуск %1…</translation>
    </message>
    <message>
        <source>%1 started; its tools: %2</source>
        <translation>%1 запущен; его инструменты: %2</translation>
    </message>
    <message>
        <source>%1 could not start: %2</source>
        <translation>%1 не удалось запустить: %2</translation>
    </message>
    <message>
        <source>%1 asks again before each call.</source>
        <translation>%1 снова спрашивает перед каждым вызовом.</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>%1 удалён.</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>Transcript</source>
        <translation>Переписка</translation>
    </message>
    <message>
        <source>Tools left out</source>
        <translation>Инструменты не предложены</translation>
    </message>
    <message>
        <source>%1 This reply went on without its tools; replies do not wait for it again for %2 seconds.</source>
        <translation>%1 Этот ответ продолжился без его инструментов; следующие ответы не ждут его ещё %2 с.</translation>
    </message>
    <message>
        <source>No tools</source>
        <translation>Без инструментов</translation>
    </message>
    <message>
        <source>The server refused tools for this model, so this conversation goes on without them.</source>
        <translation>Сервер не принял инструменты для этой модели, поэтому беседа продолжается без них.</translation>
    </message>
    <message>
        <source>llama-server takes tools only when started with --jinja.</source>
        <translation>llama-server принимает инструменты, только если запущен с --jinja.</translation>
    </message>
    <message>
        <source>The server says this model cannot call tools (%1), so this conversation goes on without them for this model.</source>
        <translation>Сервер сообщает, что эта модель не умеет вызывать инструменты (%1), поэтому беседа с этой моделью продолжается без них.</translation>
    </message>
    <message>
        <source>The model wrote a tool call as text (%1) that could not be read, so this conversation goes on without tools for this model.</source>
        <translation>Модель написала вызов инструмента текстом (%1), и его не удалось прочитать, поэтому беседа с этой моделью продолжается без инструментов.</translation>
    </message>
    <message>
        <source>Tool calls read from text</source>
        <translation>Вызовы инструментов прочитаны из текста</translation>
    </message>
    <message>
        <source>The server passed this model&apos;s tool calls on as text (%1) instead of as calls; they were read and run as calls. A server that knows the model&apos;s tool format (llama-server with --jinja, for one) does this itself.</source>
        <translation>Сервер передал вызовы инструментов этой модели текстом (%1), а не как вызовы; они прочитаны и выполнены как вызовы. Сервер, который знает формат инструментов модели (например, llama-server с --jinja), делает это сам.</translation>
    </message>
    <message>
        <source>Tool step limit</source>
        <translation>Предел шагов с инструментами</translation>
    </message>
    <message>
        <source>The model was still calling tools after %1 steps; its last calls were not run. Send a message to let it go on.</source>
        <translation>Модель всё ещё вызывала инструменты после %1 шагов; последние вызовы не выполнены. Отправьте сообщение, чтобы она продолжила.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Ассистент</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Система</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Остановлено</translation>
    </message>
    <message>
        <source>You stopped this reply; the part above is kept.</source>
        <translation>Вы остановили этот ответ; полученная часть сохранена.</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Прервано</translation>
    </message>
    <message>
        <source>The app closed while this reply was streaming.</source>
        <translation>Приложение закрылось, пока приходил этот ответ.</translation>
    </message>
    <message>
        <source>Cut off</source>
        <translation>Оборвано</translation>
    </message>
    <message>
        <source>The reply reached the length limit; Continue asks for the rest.</source>
        <translation>Ответ упёрся в ограничение длины; «Продолжить» запросит остальное.</translation>
    </message>
    <message>
        <source>Withheld</source>
        <translation>Скрыто сервером</translation>
    </message>
    <message>
        <source>The server withheld the rest of this reply (its content filter).</source>
        <translation>Сервер не выдал остаток этого ответа (сработал его фильтр содержимого).</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>Ответ не удался.</translation>
    </message>
    <message>
        <source>Thought for a moment</source>
        <translation>Думал недолго</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>Думал %1 с</translation>
    </message>
    <message>
        <source>Thinking… %1 s</source>
        <translation>Думает… %1 с</translation>
    </message>
    <message>
        <source>No answer: the model was still thinking when the reply ended. Its thinking is above.</source>
        <translation>Ответа нет: модель ещё размышляла, когда ответ закончился. Её размышления — выше.</translation>
    </message>
    <message>
        <source>Waiting for your answer: %1 on %2</source>
        <translation>Ждёт вашего ответа: %1 на %2</translation>
    </message>
    <message>
        <source>Calling %1 on %2…</source>
        <translation>Вызов %1 на %2…</translation>
    </message>
    <message>
        <source>Interrupted: %1 on %2 (the app closed before it returned)</source>
        <translation>Прервано: %1 на %2 (приложение закрылось до результата)</translation>
    </message>
    <message>
        <source>Stopped: %1 on %2 (no result)</source>
        <translation>Остановлено: %1 на %2 (без результата)</translation>
    </message>
    <message>
        <source>Declined: %1 on %2</source>
        <translation>Отклонено: %1 на %2</translation>
    </message>
    <message>
        <source>The model called %1, which no server offers</source>
        <translation>Модель вызвала %1, но ни один сервер его не предлагает</translation>
    </message>
    <message>
        <source>%1 on %2 failed</source>
        <translation>%1 на %2: ошибка</translation>
    </message>
    <message>
        <source>Called %1 on %2</source>
        <translation>Вызван %1 на %2</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Аргументы</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Shown: the first %1 of %2 characters.</source>
        <translation>Показаны первые %1 из %2 символов.</translation>
    </message>
    <message>
        <source>Settings sent: %1</source>
        <translation>Отправленные настройки: %1</translation>
    </message>
    <message>
        <source>Settings: the bot&apos;s own, set on the site</source>
        <translation>Настройки: собственные настройки бота, заданные на сайте</translation>
    </message>
    <message>
        <source>Settings: the server&apos;s defaults (none were sent)</source>
        <translation>Настройки: по умолчанию сервера (ничего не отправлено)</translation>
    </message>
    <message>
        <source>Made with %1</source>
        <translation>Создан с помощью %1</translation>
    </message>
    <message>
        <source>Reply details</source>
        <translation>Подробности ответа</translation>
    </message>
</context>
<context>
    <name>WelcomePane</name>
    <message>
        <source>Welcome to opchat-gui</source>
        <translation>Добро пожаловать в opchat-gui</translation>
    </message>
    <message>
        <source>A fast, keyboard-driven chat app for AI models. It talks to WordPress sites running the AI Engine chatbot and to OpenAI-compatible servers (Ollama, LM Studio, llama.cpp, OpenAI, OpenRouter), and keeps every conversation on this computer. Choose where replies come from:</source>
        <translation>Быстрый чат с моделями ИИ, которым можно управлять с клавиатуры. Он работает с сайтами WordPress с чат-ботом AI Engine и с OpenAI-совместимыми серверами (Ollama, LM Studio, llama.cpp, OpenAI, OpenRouter) и хранит все беседы на этом компьютере. Выберите, откуда будут приходить ответы:</translation>
    </message>
    <message>
        <source>Opchatgpts (opchatgpts.net), the service this app was first written for, has shut down. It stays in the provider list for reference, and is never chosen for you.</source>
        <translation>Сервис Opchatgpts (opchatgpts.net), для которого приложение было написано первым, закрылся. Он остаётся в списке провайдеров для справки и никогда не выбирается за вас.</translation>
    </message>
    <message>
        <source>Use it</source>
        <translation>Использовать</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Found on this machine: %1.</source>
        <translation>Найдено на этом компьютере: %1.</translation>
    </message>
    <message>
        <source>No local server (Ollama, LM Studio, llama.cpp) answered on this machine.</source>
        <translation>Ни один локальный сервер (Ollama, LM Studio, llama.cpp) на этом компьютере не ответил.</translation>
    </message>
    <message>
        <source>Looking for local servers (Ollama, LM Studio, llama.cpp) on this machine…</source>
        <translation>Ищем локальные серверы (Ollama, LM Studio, llama.cpp) на этом компьютере…</translation>
    </message>
    <message>
        <source>Add an AI Engine site (its address; the rest is automatic)</source>
        <translation>Добавить сайт AI Engine (его адрес; остальное — автоматически)</translation>
    </message>
    <message>
        <source>Add an OpenAI-compatible server (address, key, model)</source>
        <translation>Добавить OpenAI-совместимый сервер (адрес, ключ, модель)</translation>
    </message>
    <message>
        <source>Try the offline demo (a built-in local server)</source>
        <translation>Попробовать офлайн-демо (встроенный локальный сервер)</translation>
    </message>
    <message>
        <source>Use %1 at %2</source>
        <translation>Использовать %1 по адресу %2</translation>
    </message>
    <message>
        <source>Press 1–%1 to choose · Esc starts chatting with the current default</source>
        <translation>1–%1 — выбрать · Esc — начать беседу с текущим провайдером по умолчанию</translation>
    </message>
    <message>
        <source>Starting the demo server…</source>
        <translation>Запускаем демо-сервер…</translation>
    </message>
    <message>
        <source>Add an OpenAI-compatible server</source>
        <translation>Добавить OpenAI-совместимый сервер</translation>
    </message>
    <message>
        <source>Add an AI Engine site</source>
        <translation>Добавить сайт AI Engine</translation>
    </message>
    <message>
        <source>“%1” is not a web address. Type one such as https://example.com or http://localhost:11434/v1.</source>
        <translation>«%1» — не веб-адрес. Введите адрес вида https://example.com или http://localhost:11434/v1.</translation>
    </message>
    <message>
        <source>Asking the server for its models…</source>
        <translation>Запрашиваем у сервера список моделей…</translation>
    </message>
    <message>
        <source>The server did not list its models: %1</source>
        <translation>Сервер не выдал список моделей: %1</translation>
    </message>
    <message>
        <source>Choose a model, then press Enter.</source>
        <translation>Выберите модель и нажмите Enter.</translation>
    </message>
    <message>
        <source>The server listed no models: type the model&apos;s name, then press Enter.</source>
        <translation>Сервер не назвал ни одной модели: введите название модели и нажмите Enter.</translation>
    </message>
</context>
</TS>
